import { describeStreamingStore } from "@truthound/test-support";
import { GCSStore } from "../src/index.js";
import { adminClient, createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

describeStreamingStore("GCSStore streaming on fake-gcs-server", {
  available: gcsEndpoint !== undefined,
  foreignEtag: "12345",
  failedBodyTitle: "a body failing mid-stream leaves no document or marker behind",
  uploadKind: "resumable",
  async server() {
    const { name: bucket, drop } = await createBucket("stream");
    const admin = adminClient();
    return {
      open: (namespace, variant) =>
        new GCSStore({ apiEndpoint: requireGcs(), project: "truthound-test", bucket, namespace, ...variant }),
      keysUnder: async (prefix) => (await admin.bucket(bucket).getFiles({ prefix }))[0].map((f) => f.name),
      async truncateObject(key) {
        const file = admin.bucket(bucket).file(key);
        const [stored] = await file.download();
        await file.save(stored.subarray(0, Math.floor(stored.byteLength / 2)), { resumable: false });
      },
      dispose: drop,
    };
  },
});
