import type { ConnectionOptions as TlsOptions } from "node:tls";
import {
  type Clock,
  type Codec,
  type ItemAdapter,
  type OptionsSpec,
  StoreConfigurationError,
  type ValidationResult,
  validateNamespace,
  validateOptions,
} from "@truthound/store-core";
import type { Redis } from "ioredis";

export interface RedisStoreOptions<T = ValidationResult> {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). Not with `host`/`port`. */
  url?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 6379. */
  port?: number;
  /** Database index; default 0 (or the url's). */
  db?: number;
  username?: string;
  password?: string;
  /** TLS: `true` or Node's `tls.connect` options (`ca`, `cert`, `key`, `servername`, ...). */
  tls?: boolean | TlsOptions;
  /** Prepended to every key; default `truthound:`. Letters, digits and `_ . : / -` only. */
  keyPrefix?: string;
  /** Default `default`. */
  namespace?: string;
  /** Documents (and their index entries) expire this many seconds after their last save. */
  ttlSeconds?: number;
  /** Codec chain (compression, encryption); documents get a self-describing header. */
  codecs?: readonly Codec[];
  /** Store documents as plain gzip; default false. Use `codecs` for anything else (not both). */
  useCompression?: boolean;
  /**
   * A caller-supplied ioredis client (not closed by the store). Then `url`, `host`, `port`, `db`,
   * `username`, `password`, `tls`, `connectTimeoutMs` and `socketTimeoutMs` must not be set. For the fail-fast behaviour the store
   * gives its own clients, create it with `enableOfflineQueue: false` and `maxRetriesPerRequest: 0`.
   */
  client?: Redis;
  /** Time to establish a connection, in ms; default 5,000. */
  connectTimeoutMs?: number;
  /**
   * A connection with commands outstanding that receives nothing for this long is considered dead: it is
   * dropped (pending commands fail with a retryable CONNECTION error) and re-established. Default 10,000.
   */
  socketTimeoutMs?: number;
  /** Default deadline of every operation, in ms; default 10,000. */
  operationTimeoutMs?: number;
  /** Retries of a failed idempotent command on a connection error; default 4. */
  retries?: number;
  /** First retry delay in ms, doubled each time (with jitter) up to 1 s; default 50. */
  retryBaseDelayMs?: number;
  /** Item type; default validation results. */
  adapter?: ItemAdapter<T>;
  clock?: Clock;
}

const KEY_PREFIX = /^[A-Za-z0-9_.:/-]{0,256}$/;

function checkUrl(value: unknown): string | undefined {
  try {
    const url = new URL(String(value));
    return url.protocol === "redis:" || url.protocol === "rediss:"
      ? undefined
      : "must be a redis:// or rediss:// URL";
  } catch {
    return "must be a URL";
  }
}

function checkNamespace(value: unknown): string | undefined {
  validateNamespace(value);
  return undefined;
}

function checkTls(value: unknown): string | undefined {
  if (value === true || value === false) return undefined;
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? undefined
    : "must be true, false or a tls.connect options object";
}

function checkClient(value: unknown): string | undefined {
  const c = value as { evalsha?: unknown; getBuffer?: unknown; status?: unknown };
  return typeof c.evalsha === "function" && typeof c.getBuffer === "function" && typeof c.status === "string"
    ? undefined
    : "must be an ioredis Redis client";
}

const spec: OptionsSpec<RedisStoreOptions> = {
  url: { type: "string", check: checkUrl },
  host: { type: "string", check: (v) => (v === "" ? "must not be empty" : undefined) },
  port: { type: "number", integer: true, min: 1, max: 65535 },
  db: { type: "number", integer: true, min: 0, max: 65535 },
  username: { type: "string" },
  password: { type: "string" },
  tls: { type: "any", check: checkTls },
  keyPrefix: {
    type: "string",
    check: (v) =>
      KEY_PREFIX.test(String(v)) ? undefined : "must be at most 256 letters, digits or '_ . : / -'",
  },
  namespace: { type: "string", check: checkNamespace },
  ttlSeconds: { type: "number", integer: true, min: 1, max: 10 * 365 * 24 * 3600 },
  codecs: { type: "array" },
  useCompression: { type: "boolean" },
  client: { type: "object", check: checkClient },
  connectTimeoutMs: { type: "number", integer: true, min: 1 },
  socketTimeoutMs: { type: "number", integer: true, min: 100 },
  operationTimeoutMs: { type: "number", min: 1 },
  retries: { type: "number", integer: true, min: 0, max: 20 },
  retryBaseDelayMs: { type: "number", min: 1, max: 10_000 },
  adapter: { type: "object" },
  clock: { type: "object" },
};

const CONNECTION_FIELDS = [
  "url",
  "host",
  "port",
  "db",
  "username",
  "password",
  "tls",
  "connectTimeoutMs",
  "socketTimeoutMs",
] as const;

function conflict(field: string, why: string): never {
  throw new StoreConfigurationError(`RedisStore: option '${field}' ${why}`, { details: { field } });
}

export function validateRedisOptions<T>(input: unknown): RedisStoreOptions<T> {
  const options = validateOptions("RedisStore", input, spec) as unknown as RedisStoreOptions<T>;
  if (options.client !== undefined) {
    for (const field of CONNECTION_FIELDS) {
      if (options[field] !== undefined)
        conflict(field, "configures a connection and cannot be combined with 'client'");
    }
  }
  if (options.url !== undefined) {
    for (const field of ["host", "port"] as const) {
      if (options[field] !== undefined) conflict(field, "cannot be combined with 'url' (put it in the URL)");
    }
  }
  if (options.useCompression === true && (options.codecs?.length ?? 0) > 0) {
    conflict("useCompression", "cannot be combined with 'codecs' (add a compression codec to the chain)");
  }
  return options;
}
