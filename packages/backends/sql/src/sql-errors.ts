import { isStoreError, StoreError, type StoreErrorCode } from "@truthound/store-core";

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  errno?: unknown;
}

/** Node socket errors that mean the server cannot be reached or dropped the connection. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Messages node-postgres gives connection problems without a code. */
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "connection terminated",
  "Client has encountered a connection error",
  "Client was closed",
  "Cannot use a pool after calling end",
  "the database system is starting up",
  "the database system is shutting down",
];

interface Mapped {
  code: StoreErrorCode;
  retryable: boolean;
  what: string;
}

/**
 * drizzle wraps driver errors in a DrizzleQueryError whose message holds the SQL and every parameter (whole
 * documents); the driver's error underneath is what matters, and what may be shown.
 */
export function unwrapDriverError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 4; depth++) {
    const e = current as { query?: unknown; params?: unknown; cause?: unknown } | null;
    if (e && typeof e === "object" && typeof e.query === "string" && "params" in e && e.cause !== undefined) {
      current = e.cause;
    } else break;
  }
  return current;
}

/** Maps a PostgreSQL SQLSTATE (or socket error) to a store error code; undefined when it says nothing specific. */
export function classifySqlError(error: unknown): Mapped | undefined {
  const shape = (unwrapDriverError(error) ?? {}) as ErrorShape;
  const code = typeof shape.code === "string" ? shape.code : "";
  const message = typeof shape.message === "string" ? shape.message : "";
  if (SOCKET_CODES.has(code)) return { code: "CONNECTION", retryable: true, what: "database unreachable" };
  if (
    message.includes("timeout exceeded when trying to connect") ||
    message.includes("Connection terminated due to connection timeout")
  ) {
    return { code: "TIMEOUT", retryable: true, what: "no connection within poolTimeout" };
  }
  if (CONNECTION_MESSAGES.some((m) => message.includes(m))) {
    return { code: "CONNECTION", retryable: true, what: "connection lost" };
  }
  if (code.length !== 5) return undefined;
  const cls = code.slice(0, 2);
  switch (code) {
    case "23505":
      return { code: "CONFLICT", retryable: false, what: "unique violation" };
    case "40001":
      return { code: "CONFLICT", retryable: true, what: "serialization failure" };
    case "40P01":
      return { code: "CONFLICT", retryable: true, what: "deadlock detected" };
    case "57014":
      return { code: "TIMEOUT", retryable: false, what: "statement cancelled" };
    case "57P01":
    case "57P02":
    case "57P03":
      return { code: "CONNECTION", retryable: true, what: "server shutting down or starting" };
    case "53300":
      return { code: "CONNECTION", retryable: true, what: "too many connections" };
    case "3D000":
      return { code: "CONFIGURATION", retryable: false, what: "database does not exist" };
    case "42P01":
      return { code: "CONFIGURATION", retryable: false, what: "table does not exist" };
    case "42501":
      return { code: "PERMISSION", retryable: false, what: "insufficient privilege" };
    case "25006":
      return { code: "PERMISSION", retryable: false, what: "read-only transaction" };
  }
  if (cls === "08") return { code: "CONNECTION", retryable: true, what: "connection exception" };
  if (cls === "28") return { code: "PERMISSION", retryable: false, what: "authentication failed" };
  if (cls === "22")
    return { code: "INVALID_ARGUMENT", retryable: false, what: "value rejected by the database" };
  if (cls === "23") return { code: "INVALID_ARGUMENT", retryable: false, what: "constraint violated" };
  if (cls === "53") return { code: "WRITE", retryable: false, what: "insufficient resources" };
  return undefined;
}

/** Any failure of a database call as a typed StoreError; store errors pass through. */
export function toSqlStoreError(
  thrown: unknown,
  fallback: StoreErrorCode,
  context: { backend: string; operation: string; id?: string },
): StoreError {
  if (isStoreError(thrown)) return thrown;
  const error = unwrapDriverError(thrown);
  if (isStoreError(error)) return error;
  const mapped = classifySqlError(error);
  const detail = error instanceof Error ? error.message : String(error);
  const sqlState = typeof (error as ErrorShape)?.code === "string" ? (error as ErrorShape).code : undefined;
  const code = mapped?.code ?? fallback;
  const message =
    code === "CONNECTION"
      ? `Failed to connect to ${context.backend}: ${context.operation}: ${mapped?.what}: ${detail}`
      : `${context.backend}.${context.operation} failed${mapped ? ` (${mapped.what})` : ""}: ${detail}`;
  const store = new StoreError(message, {
    code,
    retryable: mapped?.retryable ?? false,
    cause: error,
    backend: context.backend,
    ...(context.id === undefined ? {} : { id: context.id }),
    details: sqlState === undefined ? {} : { sqlState },
  });
  if (code === "CONNECTION") Object.defineProperty(store, "name", { value: "StoreConnectionError" });
  return store;
}
