export const ERROR_CODES = [
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "CONFLICT",
  "CONNECTION",
  "TIMEOUT",
  "PERMISSION",
  "READ",
  "WRITE",
  "SERIALIZATION",
  "INTEGRITY",
  "INVALID_ARGUMENT",
  "UNSUPPORTED",
  "CONFIGURATION",
  "BACKEND_NOT_INSTALLED",
  "CLOSED",
  "ABORTED",
] as const;

export type StoreErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for("@truthound/store-core/StoreError");

export interface StoreErrorOptions {
  code: StoreErrorCode;
  retryable?: boolean;
  cause?: unknown;
  backend?: string;
  id?: string;
  details?: Record<string, unknown>;
}

/** Base error of every store operation. Check it with `isStoreError`, which works across duplicated copies of core. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly retryable: boolean;
  readonly backend: string | undefined;
  readonly id: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(message: string, options: StoreErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StoreError";
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.backend = options.backend;
    this.id = options.id;
    this.details = options.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }
}

type Extra = Omit<StoreErrorOptions, "code">;

export class StoreNotFoundError extends StoreError {
  readonly identifier: string;
  readonly itemType: string;
  constructor(identifier: string, options: Extra & { itemType?: string } = {}) {
    const itemType = options.itemType ?? "ValidationResult";
    super(`${itemType} not found: ${identifier}`, { ...options, code: "NOT_FOUND", id: identifier });
    this.name = "StoreNotFoundError";
    this.identifier = identifier;
    this.itemType = itemType;
  }
}

export class StoreConnectionError extends StoreError {
  constructor(backend: string, message: string, options: Extra = {}) {
    super(`Failed to connect to ${backend}: ${message}`, {
      retryable: true,
      ...options,
      backend,
      code: "CONNECTION",
    });
    this.name = "StoreConnectionError";
  }
}

export class StoreWriteError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "WRITE" });
    this.name = "StoreWriteError";
  }
}

export class StoreReadError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "READ" });
    this.name = "StoreReadError";
  }
}

export class StoreConflictError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "CONFLICT" });
    this.name = "StoreConflictError";
  }
}

export class StoreAlreadyExistsError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "ALREADY_EXISTS" });
    this.name = "StoreAlreadyExistsError";
  }
}

export class StoreTimeoutError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: true, ...options, code: "TIMEOUT" });
    this.name = "StoreTimeoutError";
  }
}

export class StorePermissionError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "PERMISSION" });
    this.name = "StorePermissionError";
  }
}

export class StoreSerializationError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "SERIALIZATION" });
    this.name = "StoreSerializationError";
  }
}

export class StoreIntegrityError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "INTEGRITY" });
    this.name = "StoreIntegrityError";
  }
}

export class InvalidArgumentError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "INVALID_ARGUMENT" });
    this.name = "InvalidArgumentError";
  }
}

export class UnsupportedOperationError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "UNSUPPORTED" });
    this.name = "UnsupportedOperationError";
  }
}

export class StoreConfigurationError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "CONFIGURATION" });
    this.name = "StoreConfigurationError";
  }
}

export class BackendNotInstalledError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "BACKEND_NOT_INSTALLED" });
    this.name = "BackendNotInstalledError";
  }
}

export class StoreClosedError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "CLOSED" });
    this.name = "StoreClosedError";
  }
}

export class StoreAbortedError extends StoreError {
  constructor(message: string, options: Extra = {}) {
    super(message, { retryable: false, ...options, code: "ABORTED" });
    this.name = "StoreAbortedError";
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  if (typeof error !== "object" || error === null) return false;
  if ((error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (error as StoreError).code === code;
}

/** Wraps a non-store error into a `StoreError` of the given code; a store error passes through unchanged. */
export function toStoreError(
  error: unknown,
  code: StoreErrorCode,
  message: string,
  extra: Extra = {},
): StoreError {
  if (isStoreError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError(`${message}: ${detail}`, { ...extra, code, cause: error });
}
