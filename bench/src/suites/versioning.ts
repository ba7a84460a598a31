import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Store, ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { MemoryStore } from "@truthound/store-memory";
import { type HistoryRecord, historyRecordAdapter, VersionedStore } from "@truthound/store-versioning";
import { generateResults } from "demo/fixtures";
import { type ComparisonFigures, compare, type Subject } from "../harness.js";
import type { Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const POOL_SIZE = 128;
/** Ids re-saved by the update comparisons: each save adds a version to one of them. */
const UPDATED_IDS = 64;

type Mode = "new" | "update";

/** `new`: every save creates a document under a fresh id; `update`: saves cycle over a few ids, adding versions. */
function resultFor(pool: readonly ValidationResult[], i: number, tag: string, mode: Mode): ValidationResult {
  const result = pool[i % pool.length] as ValidationResult;
  result.runId =
    mode === "new" ? `run_${tag}_${String(i).padStart(7, "0")}` : `run_${tag}_${i % UPDATED_IDS}`;
  return result;
}

type Open = (label: string) => Store<ValidationResult>;

function subject(
  name: string,
  open: Open,
  label: string,
  pool: readonly ValidationResult[],
  mode: Mode,
): Subject {
  let store: Store<ValidationResult>;
  return {
    name,
    setup: async () => {
      store = open(label);
      await store.initialize();
    },
    op: (i) => store.save(resultFor(pool, i, label, mode)),
    teardown: () => store.close(),
  };
}

async function pair(
  pool: readonly ValidationResult[],
  mode: Mode,
  plain: Open,
  versioned: Open,
  backend: string,
  sizes: { samples: number; opsPerSample: number; warmupOps: number },
): Promise<ComparisonFigures> {
  return compare({
    candidate: subject(`VersionedStore(${backend}).save, ${mode} ids`, versioned, `v-${mode}`, pool, mode),
    baselines: [subject(`${backend}.save, ${mode} ids`, plain, `p-${mode}`, pool, mode)],
    latencies: true,
    ...sizes,
  });
}

export const versioningSuite: Suite = {
  id: "versioning",
  title: "Versioned save vs plain save (memory and filesystem)",
  async run({ samples, quick, log }) {
    const dir = await mkdtemp(join(tmpdir(), "truthound-bench-versioning-"));
    try {
      const pool = generateResults(POOL_SIZE, { seed: 13 });
      const memoryStores = {
        plain: () => new MemoryStore(),
        versioned: () =>
          new VersionedStore<ValidationResult>(new MemoryStore(), {
            historyStore: new MemoryStore<HistoryRecord>({ adapter: historyRecordAdapter }),
          }),
      };
      const fsOptions = (label: string) => ({
        basePath: join(dir, label),
        namespace: "bench",
        prettyPrint: false,
      });
      const fsStores = {
        plain: (label: string) => new FileSystemStore(fsOptions(label)),
        versioned: (label: string) =>
          new VersionedStore<ValidationResult>(new FileSystemStore(fsOptions(label)), {
            historyStore: new FileSystemStore<HistoryRecord>({
              ...fsOptions(label),
              prefix: "history",
              adapter: historyRecordAdapter,
            }),
          }),
      };
      const memorySizes = { samples, opsPerSample: quick ? 50 : 1000, warmupOps: quick ? 20 : 500 };
      const fsSizes = { samples, opsPerSample: quick ? 20 : 200, warmupOps: quick ? 10 : 50 };
      log(`versioning: memory, then filesystem saves into ${dir}`);
      const memNew = await pair(
        pool,
        "new",
        memoryStores.plain,
        memoryStores.versioned,
        "MemoryStore",
        memorySizes,
      );
      const memUpdate = await pair(
        pool,
        "update",
        memoryStores.plain,
        memoryStores.versioned,
        "MemoryStore",
        memorySizes,
      );
      const fsNew = await pair(pool, "new", fsStores.plain, fsStores.versioned, "FileSystemStore", fsSizes);
      const fsUpdate = await pair(
        pool,
        "update",
        fsStores.plain,
        fsStores.versioned,
        "FileSystemStore",
        fsSizes,
      );
      const bytes = pool.reduce((sum, r) => sum + JSON.stringify(r.toDict()).length, 0) / pool.length;
      const ratio = (f: ComparisonFigures) => f.baselines[0]?.ratio.median ?? Number.NaN;
      return {
        setup: [
          `${POOL_SIZE} generated results (seed 13), ${(bytes / 1024).toFixed(1)} KiB of compact JSON on average.`,
          `"new ids": every save creates an item (its v1). "update ids": saves cycle over ${UPDATED_IDS} ids, so each adds a version and archives the previous one.`,
          "VersionedStore: default options (INCREMENTAL, unlimited versions, sha256); history in a second store of the same backend (MemoryStore / FileSystemStore with prefix 'history').",
          `FileSystemStore: prettyPrint false, default durability "fsync", temp dir under ${tmpdir()}.`,
          "Ratio = versioned ops/s ÷ plain ops/s; the target (versioned save at most 2× a plain save) is a ratio ≥ 0.5.",
        ],
        comparisons: [
          { name: "memory-new", description: "versioned vs plain save, new ids, memory", figures: memNew },
          {
            name: "memory-update",
            description: "versioned vs plain save, updated ids, memory",
            figures: memUpdate,
          },
          { name: "fs-new", description: "versioned vs plain save, new ids, filesystem", figures: fsNew },
          {
            name: "fs-update",
            description: "versioned vs plain save, updated ids, filesystem",
            figures: fsUpdate,
          },
        ],
        measurements: [],
        targets: [
          checkTarget("versioned save vs plain save, memory, new ids", ratio(memNew), ">=", 0.5, "×"),
          checkTarget("versioned save vs plain save, memory, updated ids", ratio(memUpdate), ">=", 0.5, "×"),
          checkTarget("versioned save vs plain save, filesystem, new ids", ratio(fsNew), ">=", 0.5, "×"),
          checkTarget(
            "versioned save vs plain save, filesystem, updated ids",
            ratio(fsUpdate),
            ">=",
            0.5,
            "×",
          ),
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
