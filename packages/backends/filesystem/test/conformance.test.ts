import { describeStoreConformance } from "@truthound/store-testkit";
import { FileSystemStore } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
};

for (const layout of ["native", "python"] as const) {
  const basePath = tempDir(`conformance-${layout}`);
  describeStoreConformance(
    `FileSystemStore (${layout} layout)`,
    ({ namespace }) => new FileSystemStore({ basePath, namespace, layout }),
    { capabilities },
  );
}
