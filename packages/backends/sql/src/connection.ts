import type { SQLWrapper } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** The drizzle database every part of the store talks to, whichever driver is underneath. */
export type SqlDatabase = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** Counters and gauges of the connection layer. */
export interface PoolMetrics {
  driver: "pg" | "pglite";
  /** Connections open now (idle + in use). */
  totalConnections: number;
  idleConnections: number;
  activeConnections: number;
  /** Callers waiting for a connection. */
  waitingRequests: number;
  connectionsCreated: number;
  connectionsClosed: number;
  checkouts: number;
  prePings: number;
  prePingFailures: number;
  /** Errors of idle connections (e.g. the server went away) that removed them from the pool. */
  idleConnectionErrors: number;
  recycles: number;
}

/** One database connection layer: a pg pool or an embedded PGlite. */
export interface SqlConnection {
  readonly driver: "pg" | "pglite";
  /** The current drizzle database; a pg pool recycle replaces it. */
  readonly db: SqlDatabase;
  metrics(): PoolMetrics;
  /** Connection settings, with any password redacted. */
  settings(): Record<string, unknown>;
  /** Closes every pooled connection and opens fresh ones on demand; returns how many were closed. */
  recycle(): Promise<number>;
  close(): Promise<void>;
}

export function emptyMetrics(driver: "pg" | "pglite"): PoolMetrics {
  return {
    driver,
    totalConnections: 0,
    idleConnections: 0,
    activeConnections: 0,
    waitingRequests: 0,
    connectionsCreated: 0,
    connectionsClosed: 0,
    checkouts: 0,
    prePings: 0,
    prePingFailures: 0,
    idleConnectionErrors: 0,
    recycles: 0,
  };
}

/** The URL with its password replaced by `***`, and SQLAlchemy's `+driver` suffix kept as given. */
export function redactUrl(connectionUrl: string): string {
  try {
    const url = new URL(connectionUrl);
    if (url.password !== "") url.password = "***";
    return url.toString();
  } catch {
    return "<invalid url>";
  }
}

/** Runs a raw statement and returns its rows, for both drivers (each result carries `rows`). */
export async function executeRows(
  db: Pick<SqlDatabase, "execute">,
  query: SQLWrapper | string,
): Promise<Record<string, unknown>[]> {
  const result = (await db.execute(query)) as { rows?: Record<string, unknown>[] };
  return result.rows ?? [];
}
