import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { describeNetworkFaults, hostPortOf, toxiproxyUrl } from "@truthound/test-support";
import { afterAll, beforeAll, describe } from "vitest";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

describe.skipIf(azurite === undefined || toxiproxyUrl === undefined)("AzureBlobStore on Azurite", () => {
  let container = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "netfaults");
    container = created.name;
    drop = created.drop;
  });
  afterAll(async () => {
    await drop?.();
  });

  describeNetworkFaults("AzureBlobStore", {
    toxiproxyUrl: toxiproxyUrl as string,
    upstream: hostPortOf(requireAzurite().blobEndpoint),
    async makeStore(listen, namespace) {
      const env = requireAzurite();
      // One connection per request, so toxics hit requests; the SDK's exponential retries do the retrying.
      const service = new BlobServiceClient(
        `http://${listen}/${env.account}`,
        new StorageSharedKeyCredential(env.account, env.key),
        {
          keepAliveOptions: { enable: false },
          retryOptions: { maxTries: 6, retryDelayInMs: 50, maxRetryDelayInMs: 500, tryTimeoutInMs: 10_000 },
        },
      );
      return new AzureBlobStore({
        containerClient: service.getContainerClient(container),
        namespace,
        operationTimeoutMs: 60_000,
      });
    },
  });
});
