import { describeStoreConformance } from "@truthound/store-testkit";
import { MemoryStore } from "../src/index.js";

// Each MemoryStore holds its own data, so two instances never share a namespace.
describeStoreConformance("MemoryStore", () => new MemoryStore(), {
  capabilities: {
    conditionalWrites: true,
    serverSideQuery: true,
    nativeTtl: false,
    nativeVersions: false,
    streaming: false,
    persistent: false,
    multiProcess: false,
  },
  sharedNamespaces: false,
});

describeStoreConformance("MemoryStore with deepCopy: false", () => new MemoryStore({ deepCopy: false }), {
  sharedNamespaces: false,
  copiesItems: false,
  skip: ["listing", "largeDocuments"],
});
