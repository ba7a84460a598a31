import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll } from "vitest";
import { filesystemVersioned, memoryVersioned, tempDir } from "./helpers/stores.js";

describeStoreConformance("VersionedStore over MemoryStore", () => memoryVersioned(), {
  capabilities: {
    conditionalWrites: true,
    nativeVersions: true,
    persistent: false,
    multiProcess: false,
  },
  sharedNamespaces: false,
});

describeStoreConformance(
  "VersionedStore over MemoryStore (maxVersions 3, SEMANTIC)",
  () => memoryVersioned({ maxVersions: 3, mode: "SEMANTIC" }),
  { sharedNamespaces: false, skip: ["largeDocuments"] },
);

const dir = tempDir("conformance");
afterAll(() => dir.remove());

describeStoreConformance(
  "VersionedStore over FileSystemStore",
  ({ namespace }) => filesystemVersioned(dir.path, namespace),
  {
    capabilities: { conditionalWrites: true, nativeVersions: true, persistent: true, multiProcess: true },
  },
);
