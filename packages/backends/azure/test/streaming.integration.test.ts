import { describeStreamingStore } from "@truthound/test-support";
import { AzureBlobStore } from "../src/index.js";
import { azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

describeStreamingStore("AzureBlobStore streaming on Azurite", {
  available: azurite !== undefined,
  foreignEtag: '"0x8DC0000000000000"',
  failedBodyTitle: "a body failing mid-stream (after several blocks) leaves no document or marker behind",
  uploadKind: "block",
  async server() {
    const { name: container, client: admin, drop } = await createContainer(requireAzurite(), "stream");
    return {
      open: (namespace, variant) =>
        new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
          namespace,
          ...variant,
        }),
      async keysUnder(prefix) {
        const keys: string[] = [];
        for await (const blob of admin.listBlobsFlat({ prefix })) keys.push(blob.name);
        return keys;
      },
      async truncateObject(key) {
        const blob = admin.getBlockBlobClient(key);
        const stored = await blob.downloadToBuffer();
        const half = stored.subarray(0, Math.floor(stored.byteLength / 2));
        await blob.upload(half, half.byteLength);
      },
      dispose: drop,
    };
  },
});
