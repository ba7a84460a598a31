import {
  isStoreError,
  StoreError,
  type StoreErrorCode,
  StoreNotFoundError,
  StorePermissionError,
} from "@truthound/store-core";

export const BACKEND = "filesystem";

export function errnoOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

export function isNotFound(error: unknown): boolean {
  return errnoOf(error) === "ENOENT";
}

const RETRYABLE = new Set(["EAGAIN", "EBUSY", "EMFILE", "ENFILE", "EINTR", "ETIMEDOUT"]);

/** Maps a Node filesystem error to a typed store error; store errors pass through unchanged. */
export function fsError(
  error: unknown,
  fallback: StoreErrorCode,
  what: string,
  context: { id?: string; itemType?: string } = {},
): StoreError {
  if (isStoreError(error)) return error;
  const errno = errnoOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (errno === "ENOENT" && context.id !== undefined && fallback === "READ") {
    return new StoreNotFoundError(context.id, { backend: BACKEND, itemType: context.itemType, cause: error });
  }
  if (errno === "EACCES" || errno === "EPERM" || errno === "EROFS") {
    return new StorePermissionError(`${what}: ${detail}`, { backend: BACKEND, id: context.id, cause: error });
  }
  return new StoreError(`${what}: ${detail}`, {
    code: fallback,
    retryable: errno !== undefined && RETRYABLE.has(errno),
    backend: BACKEND,
    id: context.id,
    cause: error,
    details: errno === undefined ? {} : { errno },
  });
}
