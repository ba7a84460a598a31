import { S3Store } from "@truthound/store-s3";
import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { CachedStore, CacheMode } from "../src/index.js";
import { createBucket, s3Endpoint, s3Options } from "./helpers/services.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
};

describe.skipIf(s3Endpoint === undefined)("CachedStore over S3Store on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("caching");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  for (const mode of [CacheMode.WRITE_THROUGH, CacheMode.WRITE_BEHIND] as const) {
    describeStoreConformance(
      `CachedStore (${mode}) over S3Store`,
      ({ namespace }) => new CachedStore(new S3Store({ ...s3Options(), bucket, namespace }), { mode }),
      {
        capabilities,
        largeDocumentBytes: 8 * 1024 * 1024,
        // A WRITE_BEHIND save reaches the store (and other instances) only when its queue is flushed.
        sharedNamespaces: mode !== CacheMode.WRITE_BEHIND,
      },
    );
  }
});
