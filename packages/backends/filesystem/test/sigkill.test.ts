import { join } from "node:path";
import { killHard, sleep, startChaosWriter } from "@truthound/test-support";
import { describe, expect, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { readDocumentsFromDisk } from "./helpers/disk-truth.js";
import { tempDir } from "./helpers/temp-dir.js";
import { writerStore } from "./helpers/writer-store.js";

const ROUNDS = 20;

/** The index seen by a fresh store must be exactly the documents on disk, field by field. */
async function expectIndexMatchesDisk(basePath: string, layout: "native" | "python"): Promise<number> {
  const disk = readDocumentsFromDisk(join(basePath, "mp", "validations"));
  const store = new FileSystemStore({ basePath, layout, namespace: "mp" });
  try {
    const ids = await store.listIds();
    for (const id of ids) {
      const item = await store.get(id);
      expect(item.runId).toBe(id);
    }
    expect(new Set(ids)).toEqual(new Set(disk.keys()));
    for (const asset of ["asset-0", "asset-1", "asset-2"]) {
      for (const status of ["success", "failure", "warning", "error"] as const) {
        const indexed = new Set(await store.listIds({ dataAsset: asset, status }));
        const onDisk = [...disk.values()].filter((d) => d.dataAsset === asset && d.status === status);
        for (const d of onDisk) expect(indexed.has(d.runId)).toBe(true);
        for (const id of indexed)
          expect(disk.get(id)?.dataAsset === asset && disk.get(id)?.status === status).toBe(true);
      }
    }
    return ids.length;
  } finally {
    await store.close();
  }
}

describe.each(["native", "python"] as const)("%s layout: writer killed with SIGKILL", (layout) => {
  it(`${ROUNDS} rounds of kill -9 leave no torn document and a consistent index`, {
    timeout: 300_000,
  }, async () => {
    const basePath = tempDir(`kill-${layout}`);
    let lastCount = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const child = await startChaosWriter(writerStore(basePath, layout));
      await sleep(10 + Math.random() * 150);
      await killHard(child);
      lastCount = await expectIndexMatchesDisk(basePath, layout);
    }
    expect(lastCount).toBeGreaterThan(0);

    const store = new FileSystemStore({ basePath, layout, namespace: "mp" });
    const before = new Set(await store.listIds());
    const report = await store.rebuildIndex();
    expect(report.skipped).toEqual([]);
    const after = new Set(await store.listIds());
    expect(after).toEqual(before);
    expect(report.indexed).toBe(after.size);
    await store.close();
  });
});
