import type { PGlite } from "@electric-sql/pglite";
import { BackendNotInstalledError, UnsupportedOperationError } from "@truthound/store-core";
import { emptyMetrics, type PoolMetrics, type SqlConnection, type SqlDatabase } from "./connection.js";

const PGLITE_PACKAGE = "@electric-sql/pglite";

async function loadPGlite(): Promise<typeof import("@electric-sql/pglite")> {
  try {
    return await import("@electric-sql/pglite");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new BackendNotInstalledError(
        `The embedded database (no connectionUrl) needs ${PGLITE_PACKAGE}. Install it with: pnpm add ${PGLITE_PACKAGE}`,
        { details: { packageName: PGLITE_PACKAGE }, cause: error },
      );
    }
    throw error;
  }
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in this process: one connection, no pool. Either opened by the
 * store (in memory or in `dataDir`) and closed with it, or supplied by the caller and left open.
 */
export class PGliteConnection implements SqlConnection {
  readonly driver = "pglite";
  readonly db: SqlDatabase;
  readonly #client: PGlite;
  readonly #owned: boolean;
  readonly #dataDir: string | undefined;
  readonly #counters: PoolMetrics = emptyMetrics("pglite");

  private constructor(client: PGlite, db: SqlDatabase, owned: boolean, dataDir: string | undefined) {
    this.#client = client;
    this.db = db;
    this.#owned = owned;
    this.#dataDir = dataDir;
  }

  static async open(options: {
    pglite?: PGlite;
    dataDir?: string;
    echo: boolean;
  }): Promise<PGliteConnection> {
    const { drizzle } = await import("drizzle-orm/pglite");
    let client = options.pglite;
    const owned = client === undefined;
    if (client === undefined) {
      const { PGlite } = await loadPGlite();
      client = options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir);
    }
    await client.waitReady;
    const db = drizzle({ client, logger: options.echo }) as unknown as SqlDatabase;
    return new PGliteConnection(client, db, owned, options.dataDir);
  }

  metrics(): PoolMetrics {
    const open = this.#client.closed ? 0 : 1;
    return { ...this.#counters, totalConnections: open, idleConnections: open };
  }

  settings(): Record<string, unknown> {
    return {
      embedded: "pglite",
      dataDir: this.#dataDir ?? (this.#owned ? "memory://" : "caller-supplied"),
    };
  }

  async recycle(): Promise<number> {
    throw new UnsupportedOperationError(
      "recycleConnections: the embedded PGlite database runs in this process and has no connections to recycle",
      { backend: "database" },
    );
  }

  async close(): Promise<void> {
    if (this.#owned && !this.#client.closed) await this.#client.close();
  }
}
