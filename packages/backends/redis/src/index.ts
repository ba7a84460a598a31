import { registerStore } from "@truthound/store-core";
import type { RedisStoreOptions } from "./options.js";
import { RedisStore } from "./redis-store.js";

export { clientOptions, reconnectDelay } from "./connection.js";
export { KeyLayout } from "./key-layout.js";
export type { RedisStoreOptions } from "./options.js";
export { mapRedisError } from "./redis-errors.js";
export { type RedisRebuildReport, RedisStore } from "./redis-store.js";

registerStore("redis", (options) => new RedisStore(options as unknown as RedisStoreOptions), {
  packageName: "@truthound/store-redis",
  description: "Redis: atomic Lua writes with conditional saves, sorted-set queries, native TTL",
});
