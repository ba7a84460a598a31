import { MemoryStore } from "@truthound/store-memory";
import { describeStoreConformance } from "@truthound/store-testkit";
import { CachedStore, CacheMode, EvictionPolicy } from "../src/index.js";

const memoryCapabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
  persistent: false,
  multiProcess: false,
};

for (const mode of Object.values(CacheMode)) {
  describeStoreConformance(
    `CachedStore (${mode}) over MemoryStore`,
    () => new CachedStore(new MemoryStore(), { mode }),
    {
      capabilities: memoryCapabilities,
      sharedNamespaces: false,
    },
  );
}

for (const evictionPolicy of [
  EvictionPolicy.LFU,
  EvictionPolicy.TTL,
  EvictionPolicy.FIFO,
  EvictionPolicy.RANDOM,
]) {
  describeStoreConformance(
    `CachedStore (${evictionPolicy}, 16 entries) over MemoryStore`,
    () => new CachedStore(new MemoryStore(), { config: { evictionPolicy, maxSize: 16 } }),
    { sharedNamespaces: false, skip: ["listing", "largeDocuments"] },
  );
}

describeStoreConformance(
  "CachedStore (copyOnRead: false) over MemoryStore",
  () => new CachedStore(new MemoryStore(), { copyOnRead: false }),
  { sharedNamespaces: false, copiesItems: false, skip: ["listing", "largeDocuments"] },
);
