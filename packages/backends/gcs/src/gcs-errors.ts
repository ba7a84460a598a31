import {
  StoreConflictError,
  StoreConnectionError,
  StoreError,
  StoreNotFoundError,
  StorePermissionError,
} from "@truthound/store-core";

export const BACKEND = "gcs";

/** Node and HTTP-client network failures: the request may not have reached GCS, so idempotent calls may retry. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const NETWORK_MESSAGES = /socket hang up|connection closure|network timeout|request timed out/i;

export interface GCSErrorContext {
  operation: string;
  bucket: string;
  key?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  response?: { status?: unknown };
  cause?: unknown;
}

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};
}

/** The HTTP status: `ApiError.code` is the status number; gaxios errors carry it on `response`. */
function statusOf(e: SdkErrorShape): number | undefined {
  if (typeof e.code === "number") return e.code;
  if (typeof e.code === "string" && /^\d{3}$/.test(e.code)) return Number(e.code);
  return typeof e.response?.status === "number" ? e.response.status : undefined;
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const e = error as SdkErrorShape;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return e.code;
  // Node's HTTP parser rejecting a response (e.g. HPE_INVALID_CONSTANT after an emulator wrote a response
  // longer than it announced): that connection is broken, and an idempotent call may retry on a new one.
  if (typeof e.code === "string" && e.code.startsWith("HPE_")) return e.code;
  if (typeof e.message === "string" && NETWORK_MESSAGES.test(e.message)) return "network";
  return networkCode(e.cause, depth + 1);
}

function reasonsOf(e: SdkErrorShape): string[] {
  if (!Array.isArray(e.errors)) return [];
  return e.errors.flatMap((x: { reason?: unknown }) => (typeof x?.reason === "string" ? [x.reason] : []));
}

/** GCS says "The specified bucket does not exist." for a missing bucket and "No such object: ..." for a missing object. */
function namesMissingBucket(message: string): boolean {
  return /bucket/i.test(message) && !/object/i.test(message);
}

/**
 * Maps a `@google-cloud/storage` (or network) error to a `StoreError`: 404 on an object → NOT_FOUND, a missing
 * bucket → CONNECTION naming it, 412 (and 409) → CONFLICT, 401/403 → PERMISSION, network failures, 408, 429
 * and 5xx → retryable CONNECTION, aborts → ABORTED.
 */
export function mapGCSError(error: unknown, context: GCSErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const e = shapeOf(error);
  const name = typeof e.name === "string" ? e.name : "";
  const status = statusOf(e);
  const detail = typeof e.message === "string" && e.message !== "" ? e.message : name || String(error);
  const where =
    context.key === undefined ? `bucket ${context.bucket}` : `gs://${context.bucket}/${context.key}`;
  const message = `gcs.${context.operation} ${where}: ${detail}`;
  const base = {
    backend: BACKEND,
    cause: error,
    details: { bucket: context.bucket, key: context.key, status, reasons: reasonsOf(e) },
  };
  const missingBucket = () =>
    new StoreConnectionError(BACKEND, `bucket ${JSON.stringify(context.bucket)} does not exist`, {
      ...base,
      retryable: false,
    });

  if (name === "AbortError") {
    return new StoreError(`gcs.${context.operation} aborted`, { ...base, code: "ABORTED" });
  }
  if (status === 404) {
    if (context.key === undefined || namesMissingBucket(detail)) return missingBucket();
    return new StoreNotFoundError(context.key, { ...base, itemType: "object" });
  }
  if (status === 412) return new StoreConflictError(`${message} (precondition failed)`, base);
  if (status === 409 && context.operation !== "ensureReady") return new StoreConflictError(message, base);
  if (status === 401 || status === 403) return new StorePermissionError(message, base);
  if (status === 408 || status === 429 || (status !== undefined && status >= 500)) {
    return new StoreConnectionError(BACKEND, message, base);
  }
  if (networkCode(error) !== undefined) return new StoreConnectionError(BACKEND, message, base);
  const reading = ["get", "head", "list", "ensureReady"].includes(context.operation);
  return new StoreError(message, { ...base, code: reading ? "READ" : "WRITE" });
}
