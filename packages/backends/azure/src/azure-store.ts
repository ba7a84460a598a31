import type { ContainerClient, StoragePipelineOptions } from "@azure/storage-blob";
import {
  InvalidArgumentError,
  type OperationOptions,
  StoreNotFoundError,
  type ValidationResult,
  validateId,
} from "@truthound/store-core";
import { type DocumentFormat, EXTENSIONS, KeyLayout, ObjectStore } from "@truthound/store-object-kit";
import { AzureBlobStorage } from "./azure-blob-storage.js";
import {
  type AzureConnection,
  containerClientFor,
  defaultCredentialContainerClient,
  resolveConnection,
} from "./connection.js";
import {
  ACCESS_TIERS,
  type AccessTier,
  type AzureBlobStoreOptions,
  validateAzureOptions,
} from "./options.js";

const MIB = 1024 * 1024;
const FORMATS = Object.keys(EXTENSIONS) as DocumentFormat[];

function clientResolver(
  connection: AzureConnection,
  container: string,
  pipeline: StoragePipelineOptions,
): () => Promise<ContainerClient> {
  if (connection.method === "defaultCredential") {
    return () => defaultCredentialContainerClient(connection.accountUrl, container, pipeline);
  }
  // Built now, so an invalid connection string fails in the constructor.
  const client = containerClientFor(connection, container, pipeline);
  return async () => client;
}

/**
 * Validation results (or any item type) in an Azure Blob Storage container, in Truthound-py's layout. See the
 * package README for authentication, options, tiers and errors.
 */
export class AzureBlobStore<T = ValidationResult> extends ObjectStore<T> {
  readonly container: string;
  /** Which of the authentication methods the options selected. */
  readonly authMethod: AzureConnection["method"];
  readonly #azure: AzureBlobStorage;

  constructor(options: AzureBlobStoreOptions<T>) {
    const o = validateAzureOptions<T>(options);
    const connection = resolveConnection(o as AzureBlobStoreOptions<unknown>);
    const container = o.containerClient?.containerName ?? (o.container as string);
    const pipeline: StoragePipelineOptions =
      o.retryOptions === undefined ? {} : { retryOptions: { ...o.retryOptions } };
    const blockSizeBytes = o.blockSizeBytes ?? 4 * MIB;
    const storage = new AzureBlobStorage(clientResolver(connection, container, pipeline), {
      container,
      contentType: o.contentType,
      accessTier: o.accessTier,
      metadata: o.metadata === undefined ? undefined : { ...o.metadata },
      blockUploadThresholdBytes: o.blockUploadThresholdBytes ?? 8 * MIB,
      blockSizeBytes,
      uploadConcurrency: o.uploadConcurrency ?? 4,
      pythonIndexKey: new KeyLayout(o.prefix ?? "truthound/", o.namespace ?? "default", false).pythonIndexKey,
    });
    super({
      storage,
      prefix: o.prefix,
      namespace: o.namespace,
      useCompression: o.useCompression,
      compatibility: o.compatibility,
      codecs: o.codecs,
      prettyPrint: o.prettyPrint,
      adapter: o.adapter,
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs,
      // azure-storage-blob (Python) gunzips blobs labelled Content-Encoding gzip on download, after which
      // Truthound-py's own gzip.decompress fails: in python compatibility gzip documents are stored unlabelled.
      gzipContentEncoding: o.compatibility !== "python",
    });
    this.container = container;
    this.authMethod = connection.method;
    this.#azure = storage;
  }

  /** The container client the store uses (created on first use for DefaultAzureCredential). */
  containerClient(): Promise<ContainerClient> {
    return this.#azure.containerClient();
  }

  /**
   * Sets the access tier of the stored document(s) of `id`. `Archive` makes a document unreadable (a `READ`
   * error naming the tier) until it is set back to `Hot`, `Cool` or `Cold` and Azure has rehydrated it.
   */
  async setAccessTier(id: string, tier: AccessTier, options?: OperationOptions): Promise<void> {
    validateId(id);
    if (!(ACCESS_TIERS as readonly unknown[]).includes(tier)) {
      throw new InvalidArgumentError(
        `access tier must be one of ${ACCESS_TIERS.join(", ")}, got ${JSON.stringify(tier)}`,
        {
          id,
        },
      );
    }
    await this.run("setAccessTier", "WRITE", options, async (signal) => {
      const keys = FORMATS.map((format) => this.layout.documentKey(id, format));
      const heads = await Promise.all(keys.map((key) => this.#azure.head(key, signal)));
      const present = keys.filter((_, i) => heads[i] !== undefined);
      if (present.length === 0) {
        throw new StoreNotFoundError(id, { backend: this.backend, itemType: this.adapter.itemType });
      }
      for (const key of present) await this.#azure.setTier(key, tier, signal);
    });
  }
}
