import { ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { generateResults } from "demo/fixtures";
import { compare, type Subject } from "../harness.js";
import type { Suite } from "../suite.js";
import { checkTarget } from "../targets.js";

const POOL_SIZE = 256;

function storeSubject(name: string, deepCopy: boolean, pool: readonly ValidationResult[]): Subject {
  let store: MemoryStore;
  return {
    name,
    setup: async () => {
      store = new MemoryStore({ deepCopy });
      await store.initialize();
    },
    op: async (i) => {
      const result = pool[i % pool.length] as ValidationResult;
      await store.save(result);
      return store.get(result.runId);
    },
    teardown: () => store.close(),
  };
}

function rawSubject(name: string, pool: readonly ValidationResult[], materialize: boolean): Subject {
  const map = new Map<string, string>();
  return {
    name,
    op: (i) => {
      const result = pool[i % pool.length] as ValidationResult;
      map.set(result.runId, JSON.stringify(result));
      const dict = JSON.parse(map.get(result.runId) as string);
      return materialize ? ValidationResult.fromDict(dict) : dict;
    },
  };
}

export const memorySuite: Suite = {
  id: "memory",
  title: "Memory store: save + get",
  async run({ samples, quick, log }) {
    const pool = generateResults(POOL_SIZE, { seed: 7 });
    const validators = pool.reduce((sum, r) => sum + r.results.length, 0) / pool.length;
    const bytes = pool.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / pool.length;
    const opsPerSample = quick ? 50 : 1000;
    const warmupOps = quick ? 20 : 500;
    log(
      `memory: ${POOL_SIZE} results, ${validators.toFixed(0)} validators and ${(bytes / 1024).toFixed(1)} KiB each`,
    );
    const rawName = "raw JSON.stringify + Map.set/get + JSON.parse";
    const defaultFigures = await compare({
      candidate: storeSubject("MemoryStore (deepCopy: true, default) save + get", true, pool),
      baselines: [
        rawSubject(rawName, pool, false),
        rawSubject(`${rawName} + ValidationResult.fromDict`, pool, true),
      ],
      samples,
      opsPerSample,
      warmupOps,
    });
    const noCopyFigures = await compare({
      candidate: storeSubject("MemoryStore (deepCopy: false) save + get", false, pool),
      baselines: [rawSubject(rawName, pool, false)],
      samples,
      opsPerSample,
      warmupOps,
    });
    const ratio = defaultFigures.baselines[0]?.ratio.median ?? Number.NaN;
    return {
      setup: [
        `${POOL_SIZE} generated results (seed 7), ${validators.toFixed(0)} validators and ${(bytes / 1024).toFixed(1)} KiB of JSON on average; one op = save one result, then get it back by id.`,
        "Raw baseline: JSON.stringify(result) (toDict included), Map.set, Map.get, JSON.parse: the same results, no store.",
      ],
      comparisons: [
        { name: "memory-default", description: "default options vs raw", figures: defaultFigures },
        {
          name: "memory-no-copy",
          description: "deepCopy: false vs raw (information)",
          figures: noCopyFigures,
        },
      ],
      measurements: [],
      targets: [
        checkTarget("MemoryStore save+get vs raw JSON.stringify + Map + JSON.parse", ratio, ">=", 0.75, "×"),
      ],
    };
  },
};
