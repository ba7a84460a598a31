import { registerStore } from "@truthound/store-core";
import { AzureBlobStore } from "./azure-store.js";
import type { AzureBlobStoreOptions } from "./options.js";

export type { RebuildReport } from "@truthound/store-object-kit";
export { azureErrorCode, mapAzureError } from "./azure-errors.js";
export { AzureBlobStore } from "./azure-store.js";
export { type AzureConnection, accountNameFromUrl } from "./connection.js";
export type { AccessTier, AzureBlobStoreOptions, AzureRetryOptions } from "./options.js";

registerStore("azure", (options) => new AzureBlobStore(options as unknown as AzureBlobStoreOptions), {
  packageName: "@truthound/store-azure",
  description:
    "Azure Blob Storage (and Azurite): ETag conditions, block uploads, access tiers, a concurrent-safe index, Truthound-py layout",
});
