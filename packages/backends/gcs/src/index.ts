import { registerStore } from "@truthound/store-core";
import { GCSStore } from "./gcs-store.js";
import type { GCSStoreOptions } from "./options.js";

export type { RebuildReport } from "@truthound/store-object-kit";
export { mapGCSError } from "./gcs-errors.js";
export { GCSStore } from "./gcs-store.js";
export type { GCSStoreOptions } from "./options.js";

registerStore("gcs", (options) => new GCSStore(options as unknown as GCSStoreOptions), {
  packageName: "@truthound/store-gcs",
  description:
    "Google Cloud Storage: generation preconditions, a concurrent-safe index, resumable uploads, Truthound-py layout",
});
