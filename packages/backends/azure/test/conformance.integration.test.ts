import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe } from "vitest";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: true,
};

describe.skipIf(azurite === undefined)("AzureBlobStore on Azurite", () => {
  let container = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "conformance");
    container = created.name;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  for (const compatibility of ["native", "python"] as const) {
    describeStoreConformance(
      `AzureBlobStore (${compatibility})`,
      ({ namespace }) =>
        new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
          namespace,
          compatibility,
        }),
      // 20 MiB: above the 8 MiB default threshold, so large documents go through block uploads. Python
      // compatibility rewrites _index.json on every save, so its 1,000-item cases take minutes on a busy machine.
      { capabilities, largeDocumentBytes: 20 * 1024 * 1024, slowTestTimeoutMs: 600_000 },
    );
  }
});
