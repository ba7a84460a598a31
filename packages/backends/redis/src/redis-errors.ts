import {
  StoreConnectionError,
  StoreError,
  StoreIntegrityError,
  StorePermissionError,
  StoreTimeoutError,
} from "@truthound/store-core";

export const BACKEND = "redis";

/** Node socket failures. */
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
  "ENETDOWN",
]);

/** Server replies that mean "not now": a loading, failing-over or busy server. */
const TRANSIENT_REPLIES = [
  "LOADING",
  "BUSY",
  "READONLY",
  "MASTERDOWN",
  "TRYAGAIN",
  "CLUSTERDOWN",
  "NOREPLICAS",
];
const PERMISSION_REPLIES = ["NOAUTH", "WRONGPASS", "NOPERM"];

/** ioredis rejects a command it never wrote (no connection, offline queue disabled) with this message. */
const NOT_SENT = "Stream isn't writeable";

export interface RedisErrorContext {
  operation: string;
  id?: string | undefined;
  /** The failure code when nothing more specific applies: READ or WRITE. */
  fallback: "READ" | "WRITE";
}

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** True when the command certainly did not reach the server, so even a non-idempotent one may be retried. */
export function wasNotSent(error: unknown): boolean {
  const cause = error instanceof StoreError ? error.cause : error;
  return cause instanceof Error && cause.message.startsWith(NOT_SENT);
}

/**
 * Maps an ioredis or socket error to a `StoreError`: connection failures, a closed or reconnecting connection,
 * and transient server replies → retryable CONNECTION; command timeouts → TIMEOUT; NOAUTH/WRONGPASS/NOPERM →
 * PERMISSION; WRONGTYPE (a key of ours holds something else) → INTEGRITY; other replies → READ or WRITE.
 */
export function mapRedisError(error: unknown, context: RedisErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const message = typeof e.message === "string" ? e.message : String(error);
  const code = typeof e.code === "string" ? e.code : "";
  const name = typeof e.name === "string" ? e.name : "";
  const base = { backend: BACKEND, cause: error, id: context.id, details: { operation: context.operation } };
  const what = `redis.${context.operation}${context.id === undefined ? "" : ` ${JSON.stringify(context.id)}`}`;

  if (name === "ReplyError") {
    const word = message.split(" ", 1)[0] ?? "";
    if (PERMISSION_REPLIES.includes(word)) return new StorePermissionError(`${what}: ${message}`, base);
    if (TRANSIENT_REPLIES.includes(word))
      return new StoreConnectionError(BACKEND, `${what}: ${message}`, base);
    if (word === "WRONGTYPE") {
      return new StoreIntegrityError(
        `${what}: a key of this store holds another type of value (${message})`,
        base,
      );
    }
    return new StoreError(`${what}: ${message}`, { ...base, code: context.fallback });
  }
  if (message === "Command timed out") {
    return new StoreTimeoutError(`${what}: command timed out`, base);
  }
  if (
    NETWORK_CODES.has(code) ||
    name === "MaxRetriesPerRequestError" ||
    message.startsWith(NOT_SENT) ||
    message === "Connection is closed." ||
    message.startsWith("connect ") ||
    message.includes("Socket closed unexpectedly") ||
    message.startsWith("Socket timeout")
  ) {
    return new StoreConnectionError(BACKEND, `${what}: ${message}`, base);
  }
  return new StoreError(`${what}: ${message}`, { ...base, code: context.fallback });
}
