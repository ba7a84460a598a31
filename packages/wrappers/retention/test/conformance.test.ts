import { MemoryStore } from "@truthound/store-memory";
import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll } from "vitest";
import { CountBasedPolicy, RetentionStore, TimeBasedPolicy } from "../src/index.js";
import { filesystemRetention, tempDir } from "./helpers/stores.js";

describeStoreConformance(
  "RetentionStore over MemoryStore",
  () => new RetentionStore(new MemoryStore(), { policies: [new TimeBasedPolicy({ maxAgeDays: 30 })] }),
  {
    capabilities: { conditionalWrites: true, serverSideQuery: true, persistent: false, multiProcess: false },
    sharedNamespaces: false,
  },
);

describeStoreConformance(
  "RetentionStore over MemoryStore (scheduled, count policy)",
  () =>
    new RetentionStore(new MemoryStore(), {
      policies: [new CountBasedPolicy({ maxCount: 5, perAsset: true })],
      schedule: { enabled: true, intervalHours: 24 },
    }),
  { sharedNamespaces: false, skip: ["largeDocuments"] },
);

const dir = tempDir("conformance");
afterAll(() => dir.remove());

describeStoreConformance(
  "RetentionStore over FileSystemStore",
  ({ namespace }) => filesystemRetention(dir.path, namespace),
  {
    capabilities: { conditionalWrites: true, persistent: true, multiProcess: true },
  },
);
