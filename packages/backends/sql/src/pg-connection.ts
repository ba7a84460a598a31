import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import {
  emptyMetrics,
  type PoolMetrics,
  redactUrl,
  type SqlConnection,
  type SqlDatabase,
} from "./connection.js";

export interface PgPoolSettings {
  connectionUrl: string;
  poolSize: number;
  maxOverflow: number;
  /** Seconds. */
  poolTimeout: number;
  /** Seconds; 0 never recycles. */
  poolRecycle: number;
  poolPrePing: boolean;
  /** Seconds. */
  poolPrePingAfterIdle: number;
  echo: boolean;
}

/** Overflow connections (beyond poolSize) close after this long idle. */
const OVERFLOW_IDLE_MS = 10_000;

type ConnectCallback = (
  error: Error | undefined,
  client?: pg.PoolClient,
  done?: (release?: unknown) => void,
) => void;

/**
 * A pg pool that pings a connection that sat idle before handing it out (SQLAlchemy's `pool_pre_ping`), replacing
 * it when the ping fails. drizzle's queries and transactions all check out through `connect`, so every operation
 * gets the check.
 */
class PrePingPool extends pg.Pool {
  readonly #lastReleased = new WeakMap<pg.PoolClient, number>();
  readonly #pingAfterMs: number;
  readonly #enabled: boolean;
  readonly counters: PoolMetrics;

  constructor(config: pg.PoolConfig, enabled: boolean, pingAfterMs: number, counters: PoolMetrics) {
    super(config);
    this.#enabled = enabled;
    this.#pingAfterMs = pingAfterMs;
    this.counters = counters;
    this.on("connect", () => void counters.connectionsCreated++);
    this.on("remove", () => void counters.connectionsClosed++);
    this.on("acquire", () => void counters.checkouts++);
    this.on("release", (_error: Error | undefined, client: pg.PoolClient) => {
      this.#lastReleased.set(client, Date.now());
    });
    // An idle connection that fails (server restart) is dropped by the pool; without a listener it would crash.
    this.on("error", () => void counters.idleConnectionErrors++);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    const checkedOut = this.#checkout();
    if (callback === undefined) return checkedOut;
    checkedOut.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | undefined)),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  async #checkout(): Promise<pg.PoolClient> {
    // One replacement at most per stale connection in the pool, plus a fresh one.
    for (let attempt = 0; ; attempt++) {
      const client = await super.connect();
      const released = this.#lastReleased.get(client);
      if (!this.#enabled || released === undefined || Date.now() - released < this.#pingAfterMs)
        return client;
      this.counters.prePings++;
      try {
        await client.query("SELECT 1");
        return client;
      } catch (error) {
        this.counters.prePingFailures++;
        client.release(error instanceof Error ? error : new Error(String(error)));
        if (attempt >= this.options.max) throw error;
      }
    }
  }
}

/** PostgreSQL through node-postgres, with the seeds' pool settings applied. */
export class PgConnection implements SqlConnection {
  readonly driver = "pg";
  readonly #settings: PgPoolSettings;
  readonly #counters: PoolMetrics = emptyMetrics("pg");
  #pool: PrePingPool;
  #db: SqlDatabase;

  constructor(settings: PgPoolSettings) {
    this.#settings = settings;
    this.#pool = this.#createPool();
    this.#db = this.#createDb(this.#pool);
  }

  get db(): SqlDatabase {
    return this.#db;
  }

  #createPool(): PrePingPool {
    const s = this.#settings;
    const url = new URL(s.connectionUrl);
    // SQLAlchemy URLs name their driver (`postgresql+psycopg2://`); node-postgres wants the plain scheme.
    const connectionString = `postgresql:${s.connectionUrl.slice(url.protocol.length)}`;
    return new PrePingPool(
      {
        connectionString,
        max: s.poolSize + s.maxOverflow,
        min: s.poolSize,
        idleTimeoutMillis: OVERFLOW_IDLE_MS,
        connectionTimeoutMillis: Math.max(1, Math.round(s.poolTimeout * 1000)),
        maxLifetimeSeconds: s.poolRecycle,
        keepAlive: true,
        allowExitOnIdle: true,
      },
      s.poolPrePing,
      s.poolPrePingAfterIdle * 1000,
      this.#counters,
    );
  }

  #createDb(pool: PrePingPool): SqlDatabase {
    return drizzle({ client: pool, logger: this.#settings.echo }) as unknown as SqlDatabase;
  }

  metrics(): PoolMetrics {
    const pool = this.#pool;
    return {
      ...this.#counters,
      totalConnections: pool.totalCount,
      idleConnections: pool.idleCount,
      activeConnections: pool.totalCount - pool.idleCount,
      waitingRequests: pool.waitingCount,
    };
  }

  settings(): Record<string, unknown> {
    const s = this.#settings;
    return {
      connectionUrl: redactUrl(s.connectionUrl),
      poolSize: s.poolSize,
      maxOverflow: s.maxOverflow,
      poolTimeout: s.poolTimeout,
      poolRecycle: s.poolRecycle,
      poolPrePing: s.poolPrePing,
      poolPrePingAfterIdle: s.poolPrePingAfterIdle,
    };
  }

  async recycle(): Promise<number> {
    const old = this.#pool;
    const closed = old.totalCount;
    this.#pool = this.#createPool();
    this.#db = this.#createDb(this.#pool);
    this.#counters.recycles++;
    // Waits for connections in use to be returned, then closes them all.
    await old.end();
    return closed;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
