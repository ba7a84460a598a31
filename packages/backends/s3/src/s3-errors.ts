import {
  StoreConflictError,
  StoreConnectionError,
  StoreError,
  StoreNotFoundError,
  StorePermissionError,
} from "@truthound/store-core";

export const BACKEND = "s3";

/** Node and SDK network failures: the request may not have reached S3, so retrying is safe for idempotent calls. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const NETWORK_NAMES = new Set(["TimeoutError", "RequestTimeout", "NetworkingError"]);
const THROTTLING = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
]);

export interface S3ErrorContext {
  operation: string;
  bucket: string;
  key?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
  cause?: unknown;
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const e = error as SdkErrorShape;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return e.code;
  if (typeof e.name === "string" && NETWORK_NAMES.has(e.name)) return e.name;
  return networkCode(e.cause, depth + 1);
}

/**
 * Maps an AWS SDK (or network) error to a `StoreError`: `NoSuchKey`/404 → NOT_FOUND, 403 → PERMISSION,
 * 412 and 409 `ConditionalRequestConflict` → CONFLICT, a missing bucket → CONNECTION naming it, network
 * failures and 5xx/throttling → retryable CONNECTION, aborts → ABORTED.
 */
export function mapS3Error(error: unknown, context: S3ErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  const detail = typeof e.message === "string" && e.message !== "" ? e.message : name || String(error);
  const where =
    context.key === undefined ? `bucket ${context.bucket}` : `s3://${context.bucket}/${context.key}`;
  const message = `s3.${context.operation} ${where}: ${detail}`;
  const base = {
    backend: BACKEND,
    cause: error,
    details: { bucket: context.bucket, key: context.key, sdkName: name, status },
  };

  if (name === "AbortError") {
    return new StoreError(`s3.${context.operation} aborted`, { ...base, code: "ABORTED" });
  }
  if (name === "NoSuchBucket") {
    return new StoreConnectionError(BACKEND, `bucket ${JSON.stringify(context.bucket)} does not exist`, {
      ...base,
      retryable: false,
    });
  }
  if (name === "NoSuchKey" || (status === 404 && context.key !== undefined)) {
    return new StoreNotFoundError(context.key ?? "", { ...base, itemType: "object" });
  }
  if (status === 404) {
    return new StoreConnectionError(BACKEND, `bucket ${JSON.stringify(context.bucket)} does not exist`, {
      ...base,
      retryable: false,
    });
  }
  if (status === 412 || name === "PreconditionFailed" || name === "ConditionalRequestConflict") {
    return new StoreConflictError(`${message} (precondition failed)`, base);
  }
  if (status === 409 && context.operation !== "ensureReady") {
    return new StoreConflictError(message, base);
  }
  if (
    status === 403 ||
    name === "AccessDenied" ||
    name === "InvalidAccessKeyId" ||
    name === "SignatureDoesNotMatch"
  ) {
    return new StorePermissionError(message, base);
  }
  const network = networkCode(error);
  if (network !== undefined) {
    return new StoreConnectionError(BACKEND, message, base);
  }
  if (THROTTLING.has(name) || (status !== undefined && status >= 500) || e.$fault === "server") {
    return new StoreConnectionError(BACKEND, message, base);
  }
  const code =
    context.operation === "get" || context.operation === "head" || context.operation === "list"
      ? "READ"
      : "WRITE";
  return new StoreError(message, { ...base, code });
}
