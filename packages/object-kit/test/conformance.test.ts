import { describeStoreConformance } from "@truthound/store-testkit";
import { ObjectStore } from "../src/index.js";
import { MemoryBlobStorage } from "./helpers/memory-blob-storage.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
};

for (const compatibility of ["native", "python"] as const) {
  const bucket = new MemoryBlobStorage();
  bucket.pageSize = 250;
  describeStoreConformance(
    `ObjectStore on memory blobs (${compatibility})`,
    ({ namespace }) => new ObjectStore({ storage: bucket.sibling(), namespace, compatibility }),
    { capabilities, largeDocumentBytes: 1024 * 1024 },
  );
}
