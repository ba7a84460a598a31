import { join } from "node:path";
import { runWriterProcesses } from "@truthound/test-support";
import { describe, expect, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { readDocumentsFromDisk } from "./helpers/disk-truth.js";
import { tempDir } from "./helpers/temp-dir.js";
import { writerStore } from "./helpers/writer-store.js";

const PROCESSES = 4;
const SAVES = 500;
const SHARED = 25;

describe.each(["native", "python"] as const)("%s layout: concurrent writer processes", (layout) => {
  it(`${PROCESSES} processes x ${SAVES} saves into one directory lose nothing`, {
    timeout: 240_000,
  }, async () => {
    const basePath = tempDir(`mp-${layout}`);
    const saves = layout === "native" ? SAVES : 150;
    await runWriterProcesses({
      store: writerStore(basePath, layout),
      writers: Array.from({ length: PROCESSES }, (_, p) => `p${p}`),
      saves,
      shared: SHARED,
      concurrency: 16,
    });

    const store = new FileSystemStore({ basePath, layout, namespace: "mp" });
    const ids = await store.listIds();
    const expected: string[] = [];
    for (let p = 0; p < PROCESSES; p++) for (let i = 0; i < saves; i++) expected.push(`p${p}-${i}`);
    for (let i = 0; i < SHARED; i++) expected.push(`shared-${i}`);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(ids.length).toBe(expected.length);
    expect(await store.count()).toBe(expected.length);

    const items = await store.getMany(ids);
    expect(items.every((o) => o.ok)).toBe(true);

    // Shared ids were written by every process: the index must describe the document that won.
    const disk = readDocumentsFromDisk(join(basePath, "mp", "validations"));
    for (let p = 0; p < PROCESSES; p++) {
      const indexed = await store.listIds({ dataAsset: `owner-p${p}` });
      const onDisk = [...disk.values()].filter((d) => d.dataAsset === `owner-p${p}`).map((d) => d.runId);
      expect(new Set(indexed)).toEqual(new Set(onDisk));
    }
    await store.close();
  });
});
