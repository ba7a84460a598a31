import { registerStore } from "@truthound/store-core";
import { MemoryStore, type MemoryStoreOptions } from "./memory-store.js";

export { MemoryStore, type MemoryStoreOptions } from "./memory-store.js";

registerStore("memory", (options) => new MemoryStore(options as MemoryStoreOptions), {
  packageName: "@truthound/store-memory",
  description: "In-memory store",
});
