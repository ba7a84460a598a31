import { readFileSync } from "node:fs";
import type { Storage } from "@google-cloud/storage";
import {
  isPlainObject,
  type OptionsSpec,
  StoreConfigurationError,
  type ValidationResult,
  validateOptions,
} from "@truthound/store-core";
import { type ObjectStoreCommonOptions, objectStoreCommonSpec } from "@truthound/store-object-kit";

export interface GCSStoreOptions<T = ValidationResult> extends ObjectStoreCommonOptions<T> {
  /** Bucket name (required). */
  bucket: string;
  /** Google Cloud project id of the client; default from the environment (as the SDK resolves it). */
  project?: string;
  /** Service-account key file (JSON); default Application Default Credentials. */
  credentialsPath?: string;
  /** Custom endpoint, e.g. fake-gcs-server. Requests to it are unauthenticated unless `credentialsPath` is set. */
  apiEndpoint?: string;
  /** Documents larger than this go through a resumable upload. Default 8 MiB. */
  resumableThresholdBytes?: number;
  /**
   * Retries of idempotent requests: the SDK's on 408/429/5xx and connection resets, and the store's own for
   * reads the SDK does not retry (a reset while a response is read, media downloads). 0 turns both off.
   * Default 3.
   */
  maxRetries?: number;
  /** A caller-supplied client; then `project`, `credentialsPath`, `apiEndpoint` and `maxRetries` must not be set. Not closed by the store. */
  client?: Storage;
}

const MIB = 1024 * 1024;
export const DEFAULT_RESUMABLE_THRESHOLD = 8 * MIB;
export const DEFAULT_MAX_RETRIES = 3;

/** GCS bucket names: 3-63 characters (up to 222 with dots, each dot-separated part at most 63). */
function checkBucket(value: unknown): string | undefined {
  const name = String(value);
  const shape = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(name);
  const parts = name.split(".");
  const ok =
    shape &&
    (name.length <= 63 || name.includes(".")) &&
    parts.every((p) => p.length > 0 && p.length <= 63) &&
    !name.startsWith("goog") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  return ok
    ? undefined
    : "must be a valid bucket name (3-63 lower-case letters, digits, '-', '_', '.'; not starting with 'goog')";
}

/** Project ids: 6-30 lower-case letters, digits and hyphens, starting with a letter; optionally `domain:`-scoped. */
function checkProject(value: unknown): string | undefined {
  return /^(?:[a-z0-9][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(String(value))
    ? undefined
    : "must be a project id (6-30 lower-case letters, digits, '-', starting with a letter)";
}

function checkUrl(value: unknown): string | undefined {
  try {
    const url = new URL(String(value));
    return url.protocol === "http:" || url.protocol === "https:" ? undefined : "must be an http(s) URL";
  } catch {
    return "must be a URL";
  }
}

/** The key file is read now, so a wrong path is a configuration error rather than a failure of the first call. */
function checkCredentialsPath(value: unknown): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(String(value), "utf8"));
  } catch (error) {
    return `must name a readable JSON key file (${(error as Error).message})`;
  }
  if (!isPlainObject(parsed) || typeof parsed.type !== "string") {
    return "must name a Google credentials JSON file (with a 'type' field)";
  }
  return undefined;
}

function checkClient(value: unknown): string | undefined {
  return typeof (value as { bucket?: unknown }).bucket === "function"
    ? undefined
    : "must be a Storage from @google-cloud/storage";
}

const spec: OptionsSpec<GCSStoreOptions> = {
  ...objectStoreCommonSpec,
  bucket: { type: "string", required: true, check: checkBucket },
  project: { type: "string", check: checkProject },
  credentialsPath: { type: "string", check: checkCredentialsPath },
  apiEndpoint: { type: "string", check: checkUrl },
  resumableThresholdBytes: { type: "number", integer: true, min: 0 },
  maxRetries: { type: "number", integer: true, min: 0, max: 20 },
  client: { type: "object", check: checkClient },
};

const CLIENT_SETTINGS = ["project", "credentialsPath", "apiEndpoint", "maxRetries"] as const;

export function validateGCSOptions<T>(input: unknown): GCSStoreOptions<T> {
  const options = validateOptions<GCSStoreOptions>("GCSStore", input, spec) as unknown as GCSStoreOptions<T>;
  if (options.client !== undefined) {
    for (const field of CLIENT_SETTINGS) {
      if (options[field] !== undefined) {
        throw new StoreConfigurationError(
          `GCSStore: option '${field}' configures a client and cannot be combined with a caller-supplied 'client'`,
          { details: { field } },
        );
      }
    }
  }
  return options;
}
