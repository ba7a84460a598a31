import {
  StoreConfigurationError,
  StoreConflictError,
  StoreConnectionError,
  StoreError,
  StoreNotFoundError,
  StorePermissionError,
} from "@truthound/store-core";

export const BACKEND = "azure";

/** Node, undici and SDK network failures: the request may not have reached the service. */
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
  "REQUEST_SEND_ERROR",
]);
const BUSY = new Set(["ServerBusy", "OperationTimedOut", "InternalError"]);
const DENIED = new Set([
  "AuthorizationFailure",
  "AuthenticationFailed",
  "AuthorizationPermissionMismatch",
  "AuthorizationResourceTypeMismatch",
  "AuthorizationServiceMismatch",
  "AuthorizationProtocolMismatch",
  "AuthorizationSourceIPMismatch",
  "InsufficientAccountPermissions",
  "AccountIsDisabled",
]);
const CONFLICTS = new Set(["ConditionNotMet", "BlobAlreadyExists", "TargetConditionNotMet"]);

export interface AzureErrorContext {
  operation: string;
  container: string;
  key?: string | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  details?: { errorCode?: unknown };
  cause?: unknown;
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const e = error as SdkErrorShape;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return e.code;
  return networkCode(e.cause, depth + 1);
}

/** The service's error code: `details.errorCode` (from `x-ms-error-code`, also on HEAD), else `code`. */
export function azureErrorCode(error: unknown): string | undefined {
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  if (typeof e.details?.errorCode === "string") return e.details.errorCode;
  return typeof e.code === "string" ? e.code : undefined;
}

/**
 * Maps an Azure SDK (or network, or `@azure/identity`) error to a `StoreError`: `BlobNotFound`/404 → NOT_FOUND,
 * `ContainerNotFound` → CONNECTION naming the container, 403 → PERMISSION, 412 and 409 `BlobAlreadyExists` →
 * CONFLICT, `BlobArchived` → READ naming the tier, network failures, 5xx and throttling → retryable
 * CONNECTION, aborts → ABORTED.
 */
export function mapAzureError(error: unknown, context: AzureErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const errorCode = azureErrorCode(error);
  const firstLine = typeof e.message === "string" ? (e.message.split("\n")[0] ?? "") : "";
  const detail = firstLine || errorCode || name || String(error);
  const where =
    context.key === undefined ? `container ${context.container}` : `${context.container}/${context.key}`;
  const message = `azure.${context.operation} ${where}: ${detail}`;
  const base = {
    backend: BACKEND,
    cause: error,
    details: { container: context.container, key: context.key, status, errorCode },
  };

  if (name === "AbortError") {
    return new StoreError(`azure.${context.operation} aborted`, { ...base, code: "ABORTED" });
  }
  if (errorCode === "ContainerNotFound" || (status === 404 && context.key === undefined)) {
    return new StoreConnectionError(
      BACKEND,
      `container ${JSON.stringify(context.container)} does not exist`,
      {
        ...base,
        retryable: false,
      },
    );
  }
  if (errorCode === "BlobNotFound" || status === 404) {
    return new StoreNotFoundError(context.key ?? "", { ...base, itemType: "blob" });
  }
  if (errorCode === "BlobArchived") {
    return new StoreError(
      `azure.${context.operation} ${where}: the blob is in the Archive access tier and cannot be read until it is rehydrated (setAccessTier(id, "Hot" | "Cool" | "Cold"))`,
      { ...base, code: "READ", details: { ...base.details, accessTier: "Archive" } },
    );
  }
  if (status === 412 || (errorCode !== undefined && CONFLICTS.has(errorCode))) {
    return new StoreConflictError(`${message} (condition not met)`, base);
  }
  if (status === 403 || status === 401 || (errorCode !== undefined && DENIED.has(errorCode))) {
    return new StorePermissionError(message, base);
  }
  if (name === "CredentialUnavailableError") {
    return new StoreConfigurationError(`${message} (DefaultAzureCredential found no credential)`, base);
  }
  if (name === "AuthenticationError" || name === "AuthenticationRequiredError") {
    return new StorePermissionError(message, base);
  }
  if (networkCode(error) !== undefined) {
    return new StoreConnectionError(BACKEND, message, base);
  }
  if (
    (status !== undefined && (status >= 500 || status === 408 || status === 429)) ||
    (errorCode !== undefined && BUSY.has(errorCode))
  ) {
    return new StoreConnectionError(BACKEND, message, base);
  }
  const code =
    context.operation === "get" || context.operation === "head" || context.operation === "list"
      ? "READ"
      : "WRITE";
  return new StoreError(message, { ...base, code });
}
