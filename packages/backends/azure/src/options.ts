import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { type OptionsSpec, type ValidationResult, validateOptions } from "@truthound/store-core";
import { type ObjectStoreCommonOptions, objectStoreCommonSpec } from "@truthound/store-object-kit";
import { META_PREFIX } from "./azure-blob-storage.js";

export const ACCESS_TIERS = ["Hot", "Cool", "Cold", "Archive"] as const;
export type AccessTier = (typeof ACCESS_TIERS)[number];

/** The SDK's retry policy of clients the store creates (`StorageRetryOptions`). */
export interface AzureRetryOptions {
  /** Attempts per request, first included; the SDK's default is 4. */
  maxTries?: number;
  /** Timeout of one attempt in ms. */
  tryTimeoutInMs?: number;
  /** First retry delay in ms (exponential after that); the SDK's default is 4000. */
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
}

export interface AzureBlobStoreOptions<T = ValidationResult> extends ObjectStoreCommonOptions<T> {
  /** Container name (required unless `containerClient` is given). */
  container?: string;
  /** Authentication 1: a storage connection string (Azurite: `UseDevelopmentStorage=true` or the full string). */
  connectionString?: string;
  /** Blob service URL, e.g. `https://acct.blob.core.windows.net` or Azurite's `http://127.0.0.1:10000/devstoreaccount1`. */
  accountUrl?: string;
  /** Authentication 3 (with `accountKey`); builds `https://{name}.blob.core.windows.net` unless `accountUrl` is set. */
  accountName?: string;
  /** Shared key, with `accountName` or `accountUrl` (authentication 3 and 4). */
  accountKey?: string;
  /** Authentication 2 (with `accountUrl`): an account or container SAS, with or without the leading `?`. */
  sasToken?: string;
  /** Content type of documents; default `application/json`. */
  contentType?: string;
  /** Access tier set on every document at upload; index objects keep the account default. */
  accessTier?: AccessTier;
  /** Blob metadata added to every document. Names are C# identifiers (read back lower-case), values ASCII. */
  metadata?: Record<string, string>;
  /** Documents larger than this are uploaded in blocks. Default 8 MiB. */
  blockUploadThresholdBytes?: number;
  /** Block size of block uploads. Default 4 MiB. */
  blockSizeBytes?: number;
  /** Blocks uploaded at once. Default 4. */
  uploadConcurrency?: number;
  /** Retry policy of clients the store creates (refused with a caller-supplied client). */
  retryOptions?: AzureRetryOptions;
  /** A caller-supplied container client: no authentication option may be set. */
  containerClient?: ContainerClient;
  /** A caller-supplied service client; the store opens `container` on it: no authentication option may be set. */
  serviceClient?: BlobServiceClient;
}

const MIB = 1024 * 1024;
/** Azure's limit on all metadata names and values of one blob together. */
const MAX_METADATA_BYTES = 8 * 1024;

function checkContainer(value: unknown): string | undefined {
  const name = String(value);
  return /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(name)
    ? undefined
    : "must be a valid container name (3-63 lower-case letters, digits and single '-', starting and ending with a letter or digit)";
}

function checkAccountUrl(value: unknown): string | undefined {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return "must be a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.search !== "" || url.hash !== "")
    return "must not carry a query or fragment (put a SAS in 'sasToken')";
  if (url.username !== "" || url.password !== "") return "must not carry credentials";
  return undefined;
}

function checkAccountName(value: unknown): string | undefined {
  return /^[a-z0-9]{3,24}$/.test(String(value)) ? undefined : "must be 3-24 lower-case letters and digits";
}

function checkAccountKey(value: unknown): string | undefined {
  const key = String(value);
  return key.length > 0 && key.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(key)
    ? undefined
    : "must be the base64 account key";
}

function checkSasToken(value: unknown): string | undefined {
  const token = String(value).replace(/^\?/, "");
  const params = new URLSearchParams(token);
  return token !== "" && params.has("sig") && params.has("sv")
    ? undefined
    : "must be a SAS token (a query string with 'sv' and 'sig')";
}

function checkNonEmpty(value: unknown): string | undefined {
  return String(value).trim() === "" ? "must not be empty" : undefined;
}

function checkContentType(value: unknown): string | undefined {
  return /^[\x21-\x7e]+\/[\x20-\x7e]+$/.test(String(value)) ? undefined : "must be a MIME type";
}

export function checkMetadata(value: unknown): string | undefined {
  const entries = Object.entries(value as Record<string, unknown>);
  let bytes = 0;
  for (const [name, v] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return `name ${JSON.stringify(name)} must be a C# identifier (letters, digits, '_', not starting with a digit)`;
    }
    if (name.toLowerCase().startsWith(META_PREFIX)) {
      return `name ${JSON.stringify(name)} uses the reserved prefix '${META_PREFIX}'`;
    }
    if (typeof v !== "string" || !/^[\x20-\x7e]*$/.test(v) || v !== v.trim()) {
      return `value of ${JSON.stringify(name)} must be printable ASCII without leading or trailing spaces`;
    }
    bytes += name.length + v.length;
  }
  return bytes > MAX_METADATA_BYTES
    ? `must total at most ${MAX_METADATA_BYTES} bytes (an Azure limit)`
    : undefined;
}

const RETRY_FIELDS: Record<keyof AzureRetryOptions, { min: number; max: number }> = {
  maxTries: { min: 1, max: 20 },
  tryTimeoutInMs: { min: 1, max: 24 * 3600 * 1000 },
  retryDelayInMs: { min: 0, max: 3600 * 1000 },
  maxRetryDelayInMs: { min: 0, max: 3600 * 1000 },
};

function checkRetryOptions(value: unknown): string | undefined {
  for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
    const range = RETRY_FIELDS[field as keyof AzureRetryOptions];
    if (range === undefined)
      return `has unknown field '${field}' (known: ${Object.keys(RETRY_FIELDS).join(", ")})`;
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < range.min || v > range.max) {
      return `field '${field}' must be an integer in ${range.min}..${range.max}`;
    }
  }
  return undefined;
}

function checkContainerClient(value: unknown): string | undefined {
  const c = value as { getBlockBlobClient?: unknown; containerName?: unknown };
  return typeof c.getBlockBlobClient === "function" && typeof c.containerName === "string"
    ? undefined
    : "must be a ContainerClient";
}

function checkServiceClient(value: unknown): string | undefined {
  return typeof (value as { getContainerClient?: unknown }).getContainerClient === "function"
    ? undefined
    : "must be a BlobServiceClient";
}

export const azureOptionsSpec: OptionsSpec<AzureBlobStoreOptions> = {
  ...objectStoreCommonSpec,
  container: { type: "string", check: checkContainer },
  connectionString: { type: "string", check: checkNonEmpty },
  accountUrl: { type: "string", check: checkAccountUrl },
  accountName: { type: "string", check: checkAccountName },
  accountKey: { type: "string", check: checkAccountKey },
  sasToken: { type: "string", check: checkSasToken },
  contentType: { type: "string", check: checkContentType },
  accessTier: { type: "string", oneOf: ACCESS_TIERS },
  metadata: { type: "object", check: checkMetadata },
  blockUploadThresholdBytes: { type: "number", integer: true, min: 1, max: 256 * MIB },
  blockSizeBytes: { type: "number", integer: true, min: 1, max: 4000 * MIB },
  uploadConcurrency: { type: "number", integer: true, min: 1, max: 64 },
  retryOptions: { type: "object", check: checkRetryOptions },
  containerClient: { type: "object", check: checkContainerClient },
  serviceClient: { type: "object", check: checkServiceClient },
};

export function validateAzureOptions<T>(input: unknown): AzureBlobStoreOptions<T> {
  return validateOptions<AzureBlobStoreOptions>(
    "AzureBlobStore",
    input,
    azureOptionsSpec,
  ) as unknown as AzureBlobStoreOptions<T>;
}
