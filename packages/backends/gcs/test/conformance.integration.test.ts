import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { GCSStore } from "../src/index.js";
import { createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: true,
};

describe.skipIf(gcsEndpoint === undefined)("GCSStore on fake-gcs-server", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("conformance");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  for (const compatibility of ["native", "python"] as const) {
    describeStoreConformance(
      `GCSStore (${compatibility})`,
      ({ namespace }) => new GCSStore({ apiEndpoint: requireGcs(), bucket, namespace, compatibility }),
      // Above the default resumable threshold (8 MiB), so large documents take the resumable path.
      { capabilities, largeDocumentBytes: 12 * 1024 * 1024 },
    );
  }
});
