// A second process for the Redis invalidation test: saves one new version through its own CachedStore.
import { FileSystemStore } from "@truthound/store-filesystem";
import { makeResult } from "@truthound/store-testkit";
import { Redis } from "ioredis";
import { CachedStore, RedisCache } from "../../dist/index.js";

const [redisUrl, keyPrefix, basePath, namespace, runId] = process.argv.slice(2);
const client = new Redis(redisUrl);
const shared = new RedisCache({ client, keyPrefix });
const store = new CachedStore(new FileSystemStore({ basePath, namespace }), { secondLevel: shared });
await store.save(makeResult({ runId, status: "error" }));
await store.close();
await shared.close();
client.disconnect();
