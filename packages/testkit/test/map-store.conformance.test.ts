import { describeStoreConformance } from "../src/index.js";
import { mapStoreFactory } from "./support/map-store.js";

// A backend written against the public contract only, with shared namespaces and persistence across instances.
describeStoreConformance("MapStore (third-party style)", mapStoreFactory(), {
  capabilities: { conditionalWrites: true, persistent: true },
  listingItems: 1_010,
});
