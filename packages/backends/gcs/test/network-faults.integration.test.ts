import http from "node:http";
import { describeNetworkFaults, hostPortOf, toxiproxyUrl } from "@truthound/test-support";
import { afterAll, beforeAll, describe } from "vitest";
import { GCSStore } from "../src/index.js";
import { createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

describe.skipIf(gcsEndpoint === undefined || toxiproxyUrl === undefined)(
  "GCSStore on fake-gcs-server",
  () => {
    let bucket = "";
    let drop: (() => Promise<void>) | undefined;
    const keepAliveAgent = http.globalAgent;
    beforeAll(async () => {
      const created = await createBucket("netfaults");
      bucket = created.name;
      drop = created.drop;
      // The GCS client sends through Node's global agent: one connection per request, so toxics hit requests.
      http.globalAgent = new http.Agent({ keepAlive: false });
    });
    afterAll(async () => {
      http.globalAgent = keepAliveAgent;
      await drop?.();
    });

    describeNetworkFaults("GCSStore", {
      toxiproxyUrl: toxiproxyUrl as string,
      upstream: hostPortOf(requireGcs()),
      async makeStore(listen, namespace) {
        return new GCSStore({
          apiEndpoint: `http://${listen}`,
          bucket,
          namespace,
          maxRetries: 6,
          operationTimeoutMs: 60_000,
        });
      },
    });
  },
);
