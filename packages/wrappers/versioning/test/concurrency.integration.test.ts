import type { ValidationResult } from "@truthound/store-core";
import { expectSameResult, expectStoreError, makeResult } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VersionedStore } from "../src/index.js";
import { createBucket, minioEndpoint, minioOptions } from "./helpers/minio.js";
import { filesystemVersioned, s3Versioned, tempDir } from "./helpers/stores.js";

const WRITERS = 12;

/**
 * Several VersionedStore instances over the same data (no shared in-process lock, as separate processes would
 * be) race to commit on one expected version: the history store's conditional write lets exactly one win.
 */
async function raceOnExpectedVersion(open: () => VersionedStore<ValidationResult>): Promise<void> {
  const instances = Array.from({ length: 4 }, open);
  try {
    const first = makeResult({ metadata: { writer: -1 } });
    await instances[0]?.save(first);
    const settled = await Promise.allSettled(
      Array.from({ length: WRITERS }, (_, writer) =>
        (instances[writer % instances.length] as VersionedStore<ValidationResult>).saveVersion(
          makeResult({ runId: first.runId, metadata: { writer } }),
          { expectedVersion: "v1" },
        ),
      ),
    );
    const winners = settled.flatMap((s, writer) => (s.status === "fulfilled" ? [writer] : []));
    expect(winners).toHaveLength(1);
    for (const s of settled) {
      if (s.status === "rejected") await expectStoreError(Promise.reject(s.reason), "CONFLICT");
    }
    const reader = instances[1] as VersionedStore<ValidationResult>;
    const versions = await reader.listVersions(first.runId);
    expect(versions.map((v) => v.version)).toEqual(["v1", "v2"]);
    expect((await reader.get(first.runId)).metadata).toEqual({ writer: winners[0] });
    expectSameResult(await reader.getVersion(first.runId, "v1"), first);

    // Unconditioned concurrent saves all commit, each as its own version, and the current copy is the latest.
    await Promise.all(
      Array.from({ length: WRITERS }, (_, writer) =>
        (instances[writer % instances.length] as VersionedStore<ValidationResult>).save(
          makeResult({ runId: first.runId, metadata: { writer: 100 + writer } }),
        ),
      ),
    );
    const all = await reader.listVersions(first.runId);
    expect(all.map((v) => v.number)).toEqual(Array.from({ length: WRITERS + 2 }, (_, i) => i + 1));
    const latest = await reader.getVersion(first.runId, WRITERS + 2);
    expectSameResult(await reader.get(first.runId), latest);
  } finally {
    await Promise.all(instances.map((s) => s.close()));
  }
}

describe("expectedVersion races over FileSystemStore", () => {
  const dir = tempDir("race");
  afterAll(() => dir.remove());
  it("exactly one of many concurrent saves with the same expectedVersion wins", async () => {
    await raceOnExpectedVersion(() => filesystemVersioned(dir.path, "race"));
  });
});

describe.skipIf(minioEndpoint === undefined)("expectedVersion races over S3Store on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("versioning-race");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  it("exactly one of many concurrent saves with the same expectedVersion wins", async () => {
    await raceOnExpectedVersion(() => s3Versioned(minioOptions(), bucket, "race"));
  });
});
