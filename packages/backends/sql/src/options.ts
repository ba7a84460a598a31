import type { PGlite } from "@electric-sql/pglite";
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

export interface CircuitBreakerSettings {
  /** Consecutive failed operations that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Successful probes in half-open state that close it. Default 3. */
  successThreshold?: number;
  /** Seconds the circuit stays open before a probe is let through. Default 60. */
  timeout?: number;
  /** Concurrent probes while half-open. Default 3. */
  halfOpenMaxCalls?: number;
}

export interface SqlStoreOptions<T = ValidationResult> {
  /**
   * PostgreSQL URL (`postgres://`, `postgresql://`, or SQLAlchemy's `postgresql+psycopg2://` form). Without it the
   * store runs on an embedded PGlite database (`dataDir`, or in memory).
   */
  connectionUrl?: string;
  /** PGlite data directory (embedded mode only). Default: in memory, gone when the store closes. */
  dataDir?: string;
  /** A caller-owned PGlite instance (embedded mode only); the store never closes it. */
  pglite?: PGlite;
  /** Rows of other namespaces are invisible. Default "default" (Truthound-py's default). */
  namespace?: string;
  /** Prefix of the table and index names: `<prefix>validation_results`. Lower-case letters, digits, `_`. */
  tablePrefix?: string;
  /** Apply the schema migrations on initialize(). When false, initialize() checks the schema is current. Default true. */
  createTables?: boolean;
  /** Connections kept open in the pool. Default 5. */
  poolSize?: number;
  /** Connections allowed beyond `poolSize` under load; closed again after 10 s idle. Default 10. */
  maxOverflow?: number;
  /** Seconds to wait for a connection (new or from the pool) before a `TIMEOUT`. Default 30. */
  poolTimeout?: number;
  /** Seconds after which a connection is closed and replaced (0: never). Default 3600. */
  poolRecycle?: number;
  /** Check a connection with `SELECT 1` before use if it sat idle (see `poolPrePingAfterIdle`). Default true. */
  poolPrePing?: boolean;
  /** Idle seconds after which `poolPrePing` checks a connection (0: before every use). Default 1. */
  poolPrePingAfterIdle?: number;
  /** Retry transient failures (lost connections, restarts, serialization failures) of idempotent operations. Default true. */
  enableRetry?: boolean;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Seconds before the first retry; doubles each time, with jitter, capped at 30 s. Default 0.1. */
  retryBaseDelay?: number;
  /** Stop calling a failing database for a while. Default true. */
  enableCircuitBreaker?: boolean;
  circuitBreaker?: CircuitBreakerSettings;
  /** Run `SELECT 1` every `healthCheckInterval` seconds and keep `isHealthy` current. Default true. */
  enableHealthChecks?: boolean;
  /** Seconds between health checks. Default 30. */
  healthCheckInterval?: number;
  /** Log every SQL statement (drizzle's logger, to the console). Default false. */
  echo?: boolean;
  /** Codec chain for documents: they are then stored as bytes, unreadable by Truthound-py and not searchable. */
  codecs?: readonly Codec[];
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  operationTimeoutMs?: number;
}

const TABLE_PREFIX = /^[a-z_][a-z0-9_]{0,19}$/;

function checkConnectionUrl(value: unknown): string | undefined {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return "must be a PostgreSQL URL such as postgres://user:password@host:5432/database";
  }
  const scheme = url.protocol.replace(/:$/, "").split("+")[0];
  return scheme === "postgres" || scheme === "postgresql"
    ? undefined
    : `must be a PostgreSQL URL (postgres:// or postgresql://); '${scheme}' is not supported`;
}

function checkPGlite(value: unknown): string | undefined {
  const candidate = value as { query?: unknown; exec?: unknown; transaction?: unknown };
  return typeof candidate.query === "function" &&
    typeof candidate.exec === "function" &&
    typeof candidate.transaction === "function"
    ? undefined
    : "must be a PGlite instance from @electric-sql/pglite";
}

const circuitSpec: OptionsSpec<CircuitBreakerSettings> = {
  failureThreshold: { type: "number", integer: true, min: 1 },
  successThreshold: { type: "number", integer: true, min: 1 },
  timeout: { type: "number", min: 0 },
  halfOpenMaxCalls: { type: "number", integer: true, min: 1 },
};

const spec: OptionsSpec<SqlStoreOptions<unknown>> = {
  connectionUrl: { type: "string", check: checkConnectionUrl },
  dataDir: { type: "string", check: (v) => (String(v).length > 0 ? undefined : "must not be empty") },
  pglite: { type: "object", check: checkPGlite },
  namespace: {
    type: "string",
    check: (v) => {
      validateNamespace(v);
      return undefined;
    },
  },
  tablePrefix: {
    type: "string",
    check: (v) =>
      v === "" || TABLE_PREFIX.test(String(v))
        ? undefined
        : "must be up to 20 lower-case letters, digits and '_', not starting with a digit",
  },
  createTables: { type: "boolean" },
  poolSize: { type: "number", integer: true, min: 1, max: 1000 },
  maxOverflow: { type: "number", integer: true, min: 0, max: 1000 },
  poolTimeout: { type: "number", min: 0.001 },
  poolRecycle: { type: "number", min: 0 },
  poolPrePing: { type: "boolean" },
  poolPrePingAfterIdle: { type: "number", min: 0 },
  enableRetry: { type: "boolean" },
  maxRetries: { type: "number", integer: true, min: 0, max: 20 },
  retryBaseDelay: { type: "number", min: 0 },
  enableCircuitBreaker: { type: "boolean" },
  circuitBreaker: {
    type: "object",
    check: (v) => {
      validateOptions("SqlStore.circuitBreaker", v, circuitSpec);
      return undefined;
    },
  },
  enableHealthChecks: { type: "boolean" },
  healthCheckInterval: { type: "number", min: 0.01 },
  echo: { type: "boolean" },
  codecs: { type: "array" },
  adapter: { type: "object" },
  clock: { type: "object" },
  operationTimeoutMs: { type: "number", min: 1 },
};

/** Options that configure a connection pool, meaningless for an embedded PGlite database. */
const POOL_OPTIONS = [
  "poolSize",
  "maxOverflow",
  "poolTimeout",
  "poolRecycle",
  "poolPrePing",
  "poolPrePingAfterIdle",
] as const;

export function validateSqlOptions<T>(input: unknown): SqlStoreOptions<T> {
  const options = validateOptions<SqlStoreOptions<unknown>>("SqlStore", input, spec) as SqlStoreOptions<T>;
  const fail = (field: string, why: string): never => {
    throw new StoreConfigurationError(`SqlStore: option '${field}' ${why}`, { details: { field } });
  };
  if (options.connectionUrl !== undefined) {
    if (options.dataDir !== undefined)
      fail("dataDir", "is for the embedded PGlite database; remove connectionUrl or dataDir");
    if (options.pglite !== undefined) fail("pglite", "cannot be combined with connectionUrl");
  } else {
    for (const field of POOL_OPTIONS) {
      if (options[field] !== undefined) {
        fail(
          field,
          "configures a PostgreSQL connection pool; the embedded PGlite database (no connectionUrl) has none",
        );
      }
    }
    if (options.pglite !== undefined && options.dataDir !== undefined) {
      fail("dataDir", "cannot be combined with a caller-supplied pglite instance");
    }
  }
  return options;
}
