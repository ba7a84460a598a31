import { mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { generateResults } from "demo/fixtures";
import { compare, type Subject } from "../harness.js";
import type { Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const POOL_SIZE = 128;
const STORED_FOR_GETS = 500;
const STORE_OPTIONS = { namespace: "bench", prettyPrint: false } as const;

/** The bytes the store writes for a result with these options (compact JSON, no compression). */
const bytesOf = (result: ValidationResult) => Buffer.from(JSON.stringify(result.toDict()));

/** Gives result `i` a fresh id, so every save creates a new document as a pipeline would. */
function resultFor(pool: readonly ValidationResult[], i: number, tag: string): ValidationResult {
  const result = pool[i % pool.length] as ValidationResult;
  result.runId = `run_bench_${tag}_${String(i).padStart(7, "0")}`;
  return result;
}

function storeSaveSubject(dir: string, pool: readonly ValidationResult[], durable: boolean): Subject {
  let store: FileSystemStore;
  return {
    name: durable
      ? 'FileSystemStore.save (default durability "fsync": temp file, fsync, rename, dir fsync, index record)'
      : 'FileSystemStore.save (durability "none": temp file, rename, index record; no fsync)',
    setup: async () => {
      store = new FileSystemStore({
        basePath: join(dir, durable ? "store-save" : "store-save-none"),
        ...STORE_OPTIONS,
        durability: durable ? "fsync" : "none",
      });
      await store.initialize();
    },
    op: (i) => store.save(resultFor(pool, i, "s")),
    teardown: () => store.close(),
  };
}

function rawWriteSubject(dir: string, pool: readonly ValidationResult[], durable: boolean): Subject {
  const target = join(dir, durable ? "raw-fsync" : "raw");
  return {
    name: durable
      ? "raw open + write + fsync + close (information)"
      : "raw fs.promises.writeFile of the same bytes",
    setup: () => mkdir(target, { recursive: true }).then(() => undefined),
    op: async (i) => {
      const result = resultFor(pool, i, "s");
      const path = join(target, `${result.runId}.json`);
      if (!durable) return writeFile(path, bytesOf(result));
      const handle = await open(path, "w");
      try {
        await handle.writeFile(bytesOf(result));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

export const filesystemIoSuite: Suite = {
  id: "filesystem-io",
  title: "Filesystem store: atomic save and get",
  async run({ samples, quick, log }) {
    const dir = await mkdtemp(join(tmpdir(), "truthound-bench-fs-"));
    try {
      const pool = generateResults(POOL_SIZE, { seed: 11 });
      const opsPerSample = quick ? 20 : 300;
      const warmupOps = quick ? 10 : 100;
      log(`filesystem-io: saves into ${dir}`);
      const saveFigures = await compare({
        candidate: storeSaveSubject(dir, pool, true),
        baselines: [rawWriteSubject(dir, pool, false), rawWriteSubject(dir, pool, true)],
        samples,
        opsPerSample,
        warmupOps,
        latencies: true,
      });
      const nonDurableFigures = await compare({
        candidate: storeSaveSubject(dir, pool, false),
        baselines: [rawWriteSubject(dir, pool, false)],
        samples,
        opsPerSample,
        warmupOps,
        latencies: true,
      });

      // Gets: the same documents stored by the store and, as raw files, in a plain directory.
      const store = new FileSystemStore({ basePath: join(dir, "store-get"), ...STORE_OPTIONS });
      const rawDir = join(dir, "raw-get");
      await mkdir(rawDir);
      const ids: string[] = [];
      const count = quick ? 50 : STORED_FOR_GETS;
      for (let i = 0; i < count; i++) {
        const result = resultFor(pool, i, "g");
        await store.save(result);
        await writeFile(join(rawDir, `${result.runId}.json`), bytesOf(result));
        ids.push(result.runId);
      }
      await store.close();
      const idAt = (i: number) => ids[(i * 7919) % ids.length] as string;
      let reader: FileSystemStore;
      const rawRead = (materialize: boolean): Subject => ({
        name: materialize
          ? "raw readFile + JSON.parse + ValidationResult.fromDict (information)"
          : "raw readFile + JSON.parse",
        op: async (i) => {
          const dict = JSON.parse(await readFile(join(rawDir, `${idAt(i)}.json`), "utf8"));
          return materialize ? ValidationResult.fromDict(dict) : dict;
        },
      });
      const getFigures = await compare({
        candidate: {
          name: "FileSystemStore.get",
          setup: async () => {
            reader = new FileSystemStore({ basePath: join(dir, "store-get"), ...STORE_OPTIONS });
            await reader.initialize();
          },
          op: (i) => reader.get(idAt(i)),
          teardown: () => reader.close(),
        },
        baselines: [rawRead(false), rawRead(true)],
        samples,
        opsPerSample: quick ? 20 : 1000,
        warmupOps: quick ? 10 : 200,
        latencies: true,
      });
      const bytes = pool.reduce((sum, r) => sum + bytesOf(r).length, 0) / pool.length;
      return {
        setup: [
          `${POOL_SIZE} generated results (seed 11), ${(bytes / 1024).toFixed(1)} KiB of compact JSON on average, each saved under a new id (every save creates a document).`,
          `Store options: ${JSON.stringify(STORE_OPTIONS)} in a temp dir under ${tmpdir()}; raw baselines write/read the same bytes (JSON.stringify(result.toDict())) as <id>.json files in the same temp dir.`,
          `Gets read ${count} stored documents in a scattered order; the page cache is warm for every subject.`,
        ],
        comparisons: [
          { name: "fs-save", description: "atomic, durable save vs raw writeFile", figures: saveFigures },
          {
            name: "fs-save-no-fsync",
            description: 'durability "none" vs raw writeFile (information)',
            figures: nonDurableFigures,
          },
          { name: "fs-get", description: "get vs raw readFile + JSON.parse", figures: getFigures },
        ],
        measurements: [],
        targets: [
          checkTarget(
            "FileSystemStore.save vs raw writeFile",
            saveFigures.baselines[0]?.ratio.median ?? Number.NaN,
            ">=",
            0.7,
            "×",
          ),
          checkTarget(
            "FileSystemStore.get vs raw readFile + JSON.parse",
            getFigures.baselines[0]?.ratio.median ?? Number.NaN,
            ">=",
            0.9,
            "×",
          ),
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
