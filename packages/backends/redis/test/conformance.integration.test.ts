import { gzipCodec } from "@truthound/store-core";
import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll, describe } from "vitest";
import { RedisStore } from "../src/index.js";
import { dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
};

describe.skipIf(redisUrl === undefined)("RedisStore on a real Redis", () => {
  const keyPrefix = uniquePrefix("conformance");
  afterAll(() => dropPrefix(keyPrefix));

  describeStoreConformance(
    "RedisStore",
    ({ namespace }) => new RedisStore({ url: requireRedis(), keyPrefix, namespace }),
    { capabilities, largeDocumentBytes: 20 * 1024 * 1024, cleanup: () => undefined },
  );

  describeStoreConformance(
    "RedisStore (gzip codec chain)",
    ({ namespace }) => new RedisStore({ url: requireRedis(), keyPrefix, namespace, codecs: [gzipCodec()] }),
    { capabilities, skip: ["listing", "largeDocuments"] },
  );

  describeStoreConformance(
    "RedisStore (ttlSeconds: 3600)",
    ({ namespace }) => new RedisStore({ url: requireRedis(), keyPrefix, namespace, ttlSeconds: 3600 }),
    { capabilities: { ...capabilities, nativeTtl: true }, skip: ["listing", "largeDocuments"] },
  );
});
