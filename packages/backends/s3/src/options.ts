import type { S3Client } from "@aws-sdk/client-s3";
import {
  type OptionsSpec,
  StoreConfigurationError,
  type ValidationResult,
  validateOptions,
} from "@truthound/store-core";
import { type ObjectStoreCommonOptions, objectStoreCommonSpec } from "@truthound/store-object-kit";

export type ServerSideEncryption = "AES256" | "aws:kms";

/** `whenSupported` (the SDK's default): CRC checksums on every upload and validated downloads. `whenRequired`: only where S3 requires one. */
export type ChecksumMode = "whenSupported" | "whenRequired";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  credentialScope?: string;
  accountId?: string;
}

export interface S3StoreOptions<T = ValidationResult> extends ObjectStoreCommonOptions<T> {
  /** Bucket name (required). */
  bucket: string;
  /** AWS region; default from the environment, else `us-east-1`. */
  region?: string;
  /** Custom endpoint (MinIO, LocalStack, ...). */
  endpointUrl?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. Default: true when `endpointUrl` is set. */
  forcePathStyle?: boolean;
  /** Static credentials; default the SDK's credential chain. */
  credentials?: S3Credentials;
  /** Storage class of documents (index objects stay STANDARD so listings and reads never hit an archive tier). */
  storageClass?: string;
  serverSideEncryption?: ServerSideEncryption;
  /** KMS key for `serverSideEncryption: "aws:kms"`. */
  kmsKeyId?: string;
  /** Object tags set on every document (`x-amz-tagging`). */
  tags?: Record<string, string>;
  checksumMode?: ChecksumMode;
  /** Documents larger than this go through a multipart upload. Default 16 MiB (minimum 5 MiB). */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads. Default 8 MiB (minimum 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded at once; with `partSizeBytes` bounds the memory of an upload. Default 4. */
  uploadConcurrency?: number;
  /** Send `If-Match` on deletes so a delete never removes a document saved after it was read. Default true (S3 and recent MinIO honour it). */
  conditionalDeletes?: boolean;
  /** A caller-supplied client; then `region`, `endpointUrl`, `forcePathStyle`, `credentials` and `checksumMode` must not be set. Not closed by the store. */
  client?: S3Client;
}

const MIB = 1024 * 1024;
const STORAGE_CLASSES = [
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "OUTPOSTS",
  "GLACIER_IR",
  "SNOW",
  "EXPRESS_ONEZONE",
];

function checkBucket(value: unknown): string | undefined {
  return typeof value === "string" &&
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) &&
    !value.includes("..")
    ? undefined
    : "must be a valid bucket name (3-63 lower-case letters, digits, '.', '-')";
}

function checkUrl(value: unknown): string | undefined {
  try {
    const url = new URL(String(value));
    return url.protocol === "http:" || url.protocol === "https:" ? undefined : "must be an http(s) URL";
  } catch {
    return "must be a URL";
  }
}

const CREDENTIAL_FIELDS = [
  "accessKeyId",
  "secretAccessKey",
  "sessionToken",
  "expiration",
  "credentialScope",
  "accountId",
];

function checkCredentials(value: unknown): string | undefined {
  const c = value as Record<string, unknown>;
  // The SDK annotates credential objects it has used with `$`-prefixed fields.
  const extra = Object.keys(c).filter((k) => !CREDENTIAL_FIELDS.includes(k) && !k.startsWith("$"));
  if (extra.length > 0) return `has unknown field(s) ${extra.join(", ")}`;
  if (typeof c.accessKeyId !== "string" || c.accessKeyId === "") return "needs a non-empty accessKeyId";
  if (typeof c.secretAccessKey !== "string" || c.secretAccessKey === "")
    return "needs a non-empty secretAccessKey";
  if (c.sessionToken !== undefined && typeof c.sessionToken !== "string")
    return "sessionToken must be a string";
  return undefined;
}

/** S3's tag character set: letters, digits, spaces and `+ - = . _ : / @`. */
const TAG_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

/** S3 object tags: at most 10, keys 1-128 and values 0-256 characters of S3's tag character set. */
function checkTags(value: unknown): string | undefined {
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 10) return "must have at most 10 tags (an S3 limit)";
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > 128) return `tag key ${JSON.stringify(k)} must be 1-128 characters`;
    if (typeof v !== "string" || v.length > 256)
      return `tag ${JSON.stringify(k)} must have a string value of at most 256 characters`;
    if (!TAG_TEXT.test(k) || !TAG_TEXT.test(v)) {
      return `tag ${JSON.stringify(k)}: keys and values may hold letters, digits, spaces and + - = . _ : / @ only`;
    }
  }
  return undefined;
}

function checkClient(value: unknown): string | undefined {
  return typeof (value as { send?: unknown }).send === "function" ? undefined : "must be an S3Client";
}

const spec: OptionsSpec<S3StoreOptions> = {
  ...objectStoreCommonSpec,
  bucket: { type: "string", required: true, check: checkBucket },
  region: {
    type: "string",
    check: (v) => (/^[a-z0-9-]{1,64}$/.test(String(v)) ? undefined : "must be a region name"),
  },
  endpointUrl: { type: "string", check: checkUrl },
  forcePathStyle: { type: "boolean" },
  credentials: { type: "object", check: checkCredentials },
  storageClass: { type: "string", oneOf: STORAGE_CLASSES },
  serverSideEncryption: { type: "string", oneOf: ["AES256", "aws:kms"] },
  kmsKeyId: { type: "string", check: (v) => (v === "" ? "must not be empty" : undefined) },
  tags: { type: "object", check: checkTags },
  checksumMode: { type: "string", oneOf: ["whenSupported", "whenRequired"] },
  multipartThresholdBytes: { type: "number", integer: true, min: 5 * MIB },
  partSizeBytes: { type: "number", integer: true, min: 5 * MIB, max: 5 * 1024 * MIB },
  uploadConcurrency: { type: "number", integer: true, min: 1, max: 64 },
  conditionalDeletes: { type: "boolean" },
  client: { type: "object", check: checkClient },
};

const CLIENT_SETTINGS = ["region", "endpointUrl", "forcePathStyle", "credentials", "checksumMode"] as const;

export function validateS3Options<T>(input: unknown): S3StoreOptions<T> {
  const options = validateOptions<S3StoreOptions>("S3Store", input, spec) as unknown as S3StoreOptions<T>;
  if (options.kmsKeyId !== undefined && options.serverSideEncryption !== "aws:kms") {
    throw new StoreConfigurationError("S3Store: option 'kmsKeyId' needs serverSideEncryption 'aws:kms'", {
      details: { field: "kmsKeyId" },
    });
  }
  if (options.client !== undefined) {
    for (const field of CLIENT_SETTINGS) {
      if (options[field] !== undefined) {
        throw new StoreConfigurationError(
          `S3Store: option '${field}' configures a client and cannot be combined with a caller-supplied 'client'`,
          { details: { field } },
        );
      }
    }
  }
  return options;
}
