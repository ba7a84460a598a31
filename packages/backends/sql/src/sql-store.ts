import {
  BaseStore,
  type BatchOutcome,
  CircuitBreaker,
  type CircuitState,
  encodeCursor,
  type IndexEntry,
  InvalidArgumentError,
  type ItemAdapter,
  type ItemWithEtag,
  isStoreError,
  type NormalizedQuery,
  normalizeQuery,
  type OperationOptions,
  type Page,
  type StoreCapabilities,
  StoreConfigurationError,
  StoreConflictError,
  type StoreError,
  type StoreErrorCode,
  StoreNotFoundError,
  type StoreQuery,
  StoreSerializationError,
  UnsupportedOperationError,
  type ValidationResult,
  validateId,
  validationResultAdapter,
  type WriteConditions,
  withRetry,
} from "@truthound/store-core";
import { type SQL, sql } from "drizzle-orm";
import { executeRows, type PoolMetrics, type SqlConnection, type SqlDatabase } from "./connection.js";
import { applyMigrations, checkSchemaCurrent } from "./migrations.js";
import { type SqlStoreOptions, validateSqlOptions } from "./options.js";
import { type PreparedStatements, preparedFor } from "./prepared-statements.js";
import { type KeyRow, orderClause, sortKeyOfRow, whereClause } from "./query-sql.js";
import { type ResultsTable, resultsTable, type SchemaNames, schemaNames, searchVector } from "./schema.js";
import { toSqlStoreError } from "./sql-errors.js";
import { batchJson, conditionalSaveSql, dataJsonOf, insertRowsSql, type RowValues } from "./write-sql.js";

/** What `poolMetrics` reports: the connection layer's figures plus the store's resilience counters. */
export interface SqlPoolMetrics extends PoolMetrics {
  retries: number;
  circuitState: CircuitState | "disabled";
  healthChecksPassed: number;
  healthChecksFailed: number;
}

const MAX_SEARCH_LENGTH = 1000;
/** Rows per multi-row INSERT in saveMany (all in one transaction). */
const SAVE_MANY_CHUNK = 2000;

/**
 * Validation results in PostgreSQL (node-postgres pool) or an embedded PGlite, through drizzle-orm, in a table
 * Truthound-py's DatabaseStore reads and writes too.
 */
export class SqlStore<T = ValidationResult> extends BaseStore<T> {
  readonly backend = "database";
  readonly capabilities: StoreCapabilities;
  readonly namespace: string;
  readonly tableName: string;
  readonly #options: SqlStoreOptions<T>;
  readonly #names: SchemaNames;
  readonly #table: ResultsTable;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #encoded: boolean;
  #connection: SqlConnection | undefined;
  #healthTimer: NodeJS.Timeout | undefined;
  #healthy = false;
  #retries = 0;
  #healthPassed = 0;
  #healthFailed = 0;

  constructor(options: SqlStoreOptions<T> = {}) {
    const o = validateSqlOptions<T>(options);
    super({
      adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
      codecs: o.codecs ?? [],
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs,
    });
    this.#options = o;
    this.#encoded = (o.codecs ?? []).length > 0;
    this.namespace = o.namespace ?? "default";
    this.#names = schemaNames(o.tablePrefix ?? "");
    this.tableName = this.#names.table;
    this.#table = resultsTable(this.#names.table);
    const embedded = o.connectionUrl === undefined;
    this.capabilities = {
      conditionalWrites: true,
      serverSideQuery: true,
      nativeTtl: false,
      nativeVersions: false,
      streaming: false,
      persistent: !embedded || o.dataDir !== undefined || o.pglite !== undefined,
      multiProcess: !embedded,
    };
    if (o.enableCircuitBreaker ?? true) {
      const cb = o.circuitBreaker ?? {};
      this.#breaker = new CircuitBreaker({
        name: "database",
        failureThreshold: cb.failureThreshold ?? 5,
        successThreshold: cb.successThreshold ?? 3,
        resetTimeoutMs: (cb.timeout ?? 60) * 1000,
        halfOpenMaxCalls: cb.halfOpenMaxCalls ?? 3,
        clock: this.clock,
        isFailure: (error) =>
          isStoreError(error) && (error.code === "CONNECTION" || error.code === "TIMEOUT"),
      });
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  protected async doInitialize(signal: AbortSignal | undefined): Promise<void> {
    const connection = await this.#openConnection();
    try {
      this.#connection = connection;
      await this.#exec("initialize", "CONNECTION", true, signal, async (db) => {
        const encoding = await executeRows(db, sql`SELECT current_setting('server_encoding') AS encoding`);
        const value = String(encoding[0]?.encoding ?? "");
        if (value !== "UTF8") {
          throw new StoreConfigurationError(
            `SqlStore: the database encoding is ${value}; UTF8 is required to store any text and order it by code point`,
          );
        }
        if (this.#options.createTables ?? true) await applyMigrations(db, this.#names);
        else await checkSchemaCurrent(db, this.#names);
      });
    } catch (error) {
      this.#connection = undefined;
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.#healthy = true;
    this.#startHealthChecks();
  }

  async #openConnection(): Promise<SqlConnection> {
    const o = this.#options;
    const echo = o.echo ?? false;
    if (o.connectionUrl === undefined) {
      const { PGliteConnection } = await import("./pglite-connection.js");
      return PGliteConnection.open({
        ...(o.pglite === undefined ? {} : { pglite: o.pglite }),
        ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
        echo,
      });
    }
    const { PgConnection } = await import("./pg-connection.js");
    return new PgConnection({
      connectionUrl: o.connectionUrl,
      poolSize: o.poolSize ?? 5,
      maxOverflow: o.maxOverflow ?? 10,
      poolTimeout: o.poolTimeout ?? 30,
      poolRecycle: o.poolRecycle ?? 3600,
      poolPrePing: o.poolPrePing ?? true,
      poolPrePingAfterIdle: o.poolPrePingAfterIdle ?? 1,
      echo,
    });
  }

  #startHealthChecks(): void {
    if (!(this.#options.enableHealthChecks ?? true)) return;
    const intervalMs = (this.#options.healthCheckInterval ?? 30) * 1000;
    this.#healthTimer = setInterval(() => void this.checkHealth(), intervalMs);
    this.#healthTimer.unref();
  }

  protected async doClose(): Promise<void> {
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthy = false;
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
  }

  #db(): SqlDatabase {
    if (this.#connection === undefined) {
      throw new StoreConfigurationError("SqlStore: no connection (store not initialized or closed)");
    }
    return this.#connection.db;
  }

  /**
   * Every database call goes through here: the circuit breaker, retries with backoff for transient failures of
   * idempotent work, and error mapping to store codes.
   */
  async #exec<R>(
    operation: string,
    failure: StoreErrorCode,
    idempotent: boolean,
    signal: AbortSignal | undefined,
    work: (db: SqlDatabase) => Promise<R>,
    id?: string,
  ): Promise<R> {
    const context = { backend: this.backend, operation, ...(id === undefined ? {} : { id }) };
    const attempt = async (): Promise<R> => {
      try {
        const result = await work(this.#db());
        this.#healthy = true;
        return result;
      } catch (error) {
        const mapped = toSqlStoreError(error, failure, context);
        if (mapped.code === "CONNECTION") this.#healthy = false;
        throw mapped;
      }
    };
    const retrying =
      idempotent && (this.#options.enableRetry ?? true)
        ? () =>
            withRetry(attempt, {
              retries: this.#options.maxRetries ?? 3,
              baseDelayMs: (this.#options.retryBaseDelay ?? 0.1) * 1000,
              maxDelayMs: 30_000,
              jitter: "equal",
              ...(signal === undefined ? {} : { signal }),
              onRetry: () => void this.#retries++,
            })
        : attempt;
    return this.#breaker ? this.#breaker.execute(retrying) : retrying();
  }

  // ---- single items ----------------------------------------------------------------------------------------

  async #rowValues(item: T, entry: IndexEntry): Promise<RowValues> {
    const document = this.adapter.toDocument(item);
    const payload = this.#encoded ? await this.serializer.serialize(document) : null;
    return {
      runId: entry.id,
      dataAsset: entry.dataAsset,
      runTimeMs: entry.runTimeMs,
      status: entry.status,
      tags: entry.tags,
      document: payload === null ? document : null,
      payload,
    };
  }

  #prepared(db: SqlDatabase): PreparedStatements {
    return preparedFor(db, this.#table, this.tableName);
  }

  protected async writeItem(
    item: T,
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const row = await this.#rowValues(item, entry);
    const conditional = conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined;
    let rows: Record<string, unknown>[];
    if (conditional) {
      const statement = conditionalSaveSql(this.#table, this.namespace, row, conditions);
      rows = await this.#exec("save", "WRITE", false, signal, (db) => executeRows(db, statement), entry.id);
    } else {
      const params = {
        id: row.runId,
        asset: row.dataAsset,
        ms: row.runTimeMs,
        status: row.status,
        ns: this.namespace,
        tags: JSON.stringify(row.tags),
        data: dataJsonOf(row),
        payload:
          row.payload === null
            ? null
            : Buffer.from(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength),
      };
      rows = await this.#exec(
        "save",
        "WRITE",
        true,
        signal,
        (db) => this.#prepared(db).save.execute(params),
        entry.id,
      );
    }
    const etag = rows[0]?.etag;
    if (typeof etag !== "string") {
      throw new StoreConflictError(
        conditions.ifNoneMatch === "*"
          ? `Item already exists: ${entry.id}`
          : `Etag mismatch for ${entry.id}: it was changed or deleted`,
        { backend: this.backend, id: entry.id },
      );
    }
    return etag;
  }

  async #decodeRow(row: { dataJson: unknown; payload: unknown }, id: string): Promise<T> {
    if (row.payload !== null && row.payload !== undefined) {
      return this.decodeItem(row.payload as Uint8Array, id);
    }
    let document: unknown;
    try {
      document = JSON.parse(String(row.dataJson));
    } catch (cause) {
      throw new StoreSerializationError(`Stored document of ${id} is not valid JSON`, {
        cause,
        id,
        backend: this.backend,
      });
    }
    try {
      return this.adapter.fromDocument(document);
    } catch (error) {
      if (isStoreError(error)) throw error;
      throw new StoreSerializationError(`Stored document of ${id} is not a valid ${this.adapter.itemType}`, {
        cause: error,
        id,
        backend: this.backend,
      });
    }
  }

  protected async readItem(id: string, signal: AbortSignal | undefined): Promise<ItemWithEtag<T>> {
    const key = { ns: this.namespace, id };
    const rows = await this.#exec("get", "READ", true, signal, (db) => this.#prepared(db).get.execute(key));
    const row = rows[0];
    if (row === undefined) {
      throw new StoreNotFoundError(id, { backend: this.backend, itemType: this.adapter.itemType });
    }
    return { item: await this.#decodeRow(row, id), etag: row.etag };
  }

  protected async removeItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    const key = { ns: this.namespace, id };
    const rows = await this.#exec(
      "delete",
      "WRITE",
      true,
      signal,
      (db) => this.#prepared(db).delete.execute(key),
      id,
    );
    return rows.length > 0;
  }

  protected async hasItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    const key = { ns: this.namespace, id };
    const rows = await this.#exec("exists", "READ", true, signal, (db) =>
      this.#prepared(db).exists.execute(key),
    );
    return rows.length > 0;
  }

  // ---- queries ---------------------------------------------------------------------------------------------

  #entryColumns() {
    const t = this.#table;
    return { runId: t.runId, dataAsset: t.dataAsset, status: t.status, runTimeMs: t.runTimeMs, tags: t.tags };
  }

  /** One page of rows in the reference order, fetching one extra row to know whether a next page exists. */
  async #page<R extends KeyRow>(
    operation: string,
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
    select: (db: SqlDatabase, where: SQL, limit: number | undefined) => Promise<R[]>,
    extra?: SQL,
  ): Promise<{ rows: R[]; nextCursor: string | undefined }> {
    if (q.limit === 0) return { rows: [], nextCursor: undefined };
    const base = whereClause(this.#table, this.namespace, q, true);
    const where = extra === undefined ? base : sql`${base} AND ${extra}`;
    const fetch = q.limit === undefined ? undefined : q.limit + 1;
    const rows = await this.#exec(operation, "READ", true, signal, (db) => select(db, where, fetch));
    if (q.limit === undefined || rows.length <= q.limit) return { rows, nextCursor: undefined };
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1] as R;
    return { rows: page, nextCursor: encodeCursor(sortKeyOfRow(last, q.orderBy), q.orderBy, q.ascending) };
  }

  protected override async queryEntries(q: NormalizedQuery, signal: AbortSignal | undefined) {
    const t = this.#table;
    const { rows, nextCursor } = await this.#page("listIds", q, signal, (db, where, limit) => {
      const base = db
        .select(this.#entryColumns())
        .from(t)
        .where(where)
        .orderBy(...orderClause(t, q));
      return limit === undefined ? base.offset(q.offset) : base.limit(limit).offset(q.offset);
    });
    return { entries: rows.map((row) => ({ ...row, id: row.runId })), nextCursor };
  }

  protected override async countEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const t = this.#table;
    const rows = await this.#exec("count", "READ", true, signal, (db) =>
      db
        .select({ n: sql<number>`count(*)::integer` })
        .from(t)
        .where(whereClause(t, this.namespace, q, false)),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Not used for queries (they run in SQL); the entries matching the query's filters. */
  protected async scanEntries(q: NormalizedQuery, signal: AbortSignal | undefined): Promise<IndexEntry[]> {
    const t = this.#table;
    const rows = await this.#exec("scan", "READ", true, signal, (db) =>
      db
        .select(this.#entryColumns())
        .from(t)
        .where(whereClause(t, this.namespace, q, false)),
    );
    return rows.map((row) => ({ ...row, id: row.runId }));
  }

  async #documentPage(
    operation: string,
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
    extra?: SQL,
  ): Promise<Page<T>> {
    const t = this.#table;
    const { rows, nextCursor } = await this.#page(
      operation,
      q,
      signal,
      (db, where, limit) => {
        const base = db
          // The sort key (for the cursor) and the document; tags are in the document already.
          .select({
            runId: t.runId,
            dataAsset: t.dataAsset,
            status: t.status,
            runTimeMs: t.runTimeMs,
            dataJson: t.dataJson,
            payload: t.payload,
          })
          .from(t)
          .where(where)
          .orderBy(...orderClause(t, q));
        return limit === undefined ? base.offset(q.offset) : base.limit(limit).offset(q.offset);
      },
      extra,
    );
    const items: T[] = [];
    for (const row of rows) items.push(await this.#decodeRow(row, row.runId));
    return { items, nextCursor };
  }

  /** Documents and keys in one statement (no read per item). */
  override async queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    const q = normalizeQuery(query);
    return this.run("query", "READ", options, (signal) => this.#documentPage("query", q, signal));
  }

  /**
   * Full-text search over validator names and messages (PostgreSQL text search, `simple` configuration, web
   * search syntax: words, "quoted phrases", `or`, `-word`), combined with any StoreQuery filters, order and cursor.
   */
  async searchPage(text: string, query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    if (typeof text !== "string" || text.trim() === "" || text.length > MAX_SEARCH_LENGTH) {
      throw new InvalidArgumentError(
        `search text must be a non-empty string of at most ${MAX_SEARCH_LENGTH} characters`,
      );
    }
    if (this.#encoded) {
      throw new UnsupportedOperationError(
        "search: documents are encoded by a codec chain, so the database cannot see their text",
        { backend: this.backend },
      );
    }
    const q = normalizeQuery(query);
    const match = sql`${searchVector(this.#table)} @@ websearch_to_tsquery('simple'::regconfig, ${text})`;
    return this.run("search", "READ", options, (signal) => this.#documentPage("search", q, signal, match));
  }

  async search(text: string, query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    return (await this.searchPage(text, query, options)).items;
  }

  // ---- batches ---------------------------------------------------------------------------------------------

  /** One transaction of multi-row inserts; a duplicate id in the batch is saved once, with its last value. */
  override async saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    const outcomes: BatchOutcome<string>[] = new Array(items.length);
    const latest = new Map<string, RowValues>();
    const indexes: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      let id = "";
      try {
        id = String(this.adapter.idOf(item));
        validateId(id);
        latest.set(id, await this.#rowValues(item, this.adapter.entryOf(item)));
        indexes.push(i);
        outcomes[i] = { id, ok: true, value: id };
      } catch (error) {
        outcomes[i] = {
          id,
          ok: false,
          error: toSqlStoreError(error, "WRITE", { backend: this.backend, operation: "saveMany", id }),
        };
      }
    }
    if (latest.size === 0) return outcomes;
    const ids = [...latest.keys()];
    const failed = new Map<number, unknown>();
    const chunks: string[] = [];
    const rows = [...latest.values()];
    for (let start = 0; start < rows.length; start += SAVE_MANY_CHUNK) {
      const batch = batchJson(rows.slice(start, start + SAVE_MANY_CHUNK));
      for (const [i, error] of batch.failed) failed.set(start + i, error);
      chunks.push(batch.json);
    }
    const unserializable = new Map<string, StoreError>();
    for (const [i, error] of failed) {
      const id = ids[i] as string;
      unserializable.set(
        id,
        new StoreSerializationError(`Document ${id} cannot be serialized to JSON`, {
          cause: error,
          id,
          backend: this.backend,
        }),
      );
    }
    let failure: StoreError | undefined;
    try {
      await this.run("saveMany", "WRITE", options, (signal) =>
        this.#exec("saveMany", "WRITE", true, signal, (db) =>
          db.transaction(async (tx) => {
            for (const json of chunks) await tx.execute(insertRowsSql(this.#table, this.namespace, json));
          }),
        ),
      );
    } catch (error) {
      failure = toSqlStoreError(error, "WRITE", { backend: this.backend, operation: "saveMany" });
    }
    for (const i of indexes) {
      const id = (outcomes[i] as { id: string }).id;
      const error = unserializable.get(id) ?? failure;
      if (error) outcomes[i] = { id, ok: false, error };
    }
    return outcomes;
  }

  #validIds(
    ids: readonly string[],
    operation: string,
  ): { valid: string[]; invalid: Map<number, StoreError> } {
    const valid: string[] = [];
    const invalid = new Map<number, StoreError>();
    ids.forEach((id, i) => {
      try {
        valid.push(validateId(id));
      } catch (error) {
        invalid.set(
          i,
          toSqlStoreError(error, "INVALID_ARGUMENT", { backend: this.backend, operation, id: String(id) }),
        );
      }
    });
    return { valid, invalid };
  }

  /** One statement for the whole batch. */
  override async getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    const { valid, invalid } = this.#validIds(ids, "getMany");
    const t = this.#table;
    let found = new Map<string, { dataJson: string; payload: Uint8Array | null }>();
    let failure: StoreError | undefined;
    if (valid.length > 0) {
      try {
        const rows = await this.run("getMany", "READ", options, (signal) =>
          this.#exec("getMany", "READ", true, signal, (db) =>
            db
              .select({ runId: t.runId, dataJson: t.dataJson, payload: t.payload })
              .from(t)
              .where(
                sql`${t.namespace} = ${this.namespace} AND ${t.runId} = ANY(${sql.param(valid)}::text[])`,
              ),
          ),
        );
        found = new Map(rows.map((row) => [row.runId, row]));
      } catch (error) {
        failure = toSqlStoreError(error, "READ", { backend: this.backend, operation: "getMany" });
      }
    }
    const outcomes: BatchOutcome<T>[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = String(ids[i]);
      const bad = invalid.get(i) ?? failure;
      if (bad) {
        outcomes.push({ id, ok: false, error: bad });
        continue;
      }
      const row = found.get(id);
      if (row === undefined) {
        outcomes.push({
          id,
          ok: false,
          error: new StoreNotFoundError(id, { backend: this.backend, itemType: this.adapter.itemType }),
        });
        continue;
      }
      try {
        outcomes.push({ id, ok: true, value: await this.#decodeRow(row, id) });
      } catch (error) {
        outcomes.push({
          id,
          ok: false,
          error: toSqlStoreError(error, "READ", { backend: this.backend, operation: "getMany", id }),
        });
      }
    }
    return outcomes;
  }

  /** One DELETE for the whole batch. */
  override async deleteMany(
    ids: readonly string[],
    options?: OperationOptions,
  ): Promise<BatchOutcome<boolean>[]> {
    const { valid, invalid } = this.#validIds(ids, "deleteMany");
    const t = this.#table;
    let deleted = new Set<string>();
    let failure: StoreError | undefined;
    if (valid.length > 0) {
      try {
        const rows = await this.run("deleteMany", "WRITE", options, (signal) =>
          this.#exec("deleteMany", "WRITE", true, signal, (db) =>
            db
              .delete(t)
              .where(
                sql`${t.namespace} = ${this.namespace} AND ${t.runId} = ANY(${sql.param(valid)}::text[])`,
              )
              .returning({ runId: t.runId }),
          ),
        );
        deleted = new Set(rows.map((row) => row.runId));
      } catch (error) {
        failure = toSqlStoreError(error, "WRITE", { backend: this.backend, operation: "deleteMany" });
      }
    }
    const seen = new Set<string>();
    return ids.map((raw, i) => {
      const id = String(raw);
      const bad = invalid.get(i) ?? failure;
      if (bad) return { id, ok: false, error: bad };
      // A repeated id was deleted by its first occurrence.
      const value = deleted.has(id) && !seen.has(id);
      seen.add(id);
      return { id, ok: true, value };
    });
  }

  // ---- pool, health and resilience -------------------------------------------------------------------------

  /** Last known health: initialized, the last health check or operation reached the database, circuit not open. */
  get isHealthy(): boolean {
    return this.#connection !== undefined && this.#healthy && this.#breaker?.state !== "open";
  }

  /** Runs the health check (`SELECT 1`) now and updates `isHealthy`. */
  async checkHealth(): Promise<boolean> {
    const connection = this.#connection;
    if (connection === undefined) return false;
    try {
      await connection.db.execute(sql`SELECT 1`);
      this.#healthPassed++;
      this.#healthy = true;
    } catch {
      this.#healthFailed++;
      this.#healthy = false;
    }
    return this.#healthy;
  }

  /** Figures of the connection layer; undefined before initialize(). */
  get poolMetrics(): SqlPoolMetrics | undefined {
    const connection = this.#connection;
    if (connection === undefined) return undefined;
    return {
      ...connection.metrics(),
      retries: this.#retries,
      circuitState: this.#breaker?.state ?? "disabled",
      healthChecksPassed: this.#healthPassed,
      healthChecksFailed: this.#healthFailed,
    };
  }

  /** Settings (password redacted), health and metrics, for logs and status pages. */
  getPoolStatus(): Record<string, unknown> {
    const o = this.#options;
    return {
      backend: this.backend,
      driver: this.#connection?.driver ?? (o.connectionUrl === undefined ? "pglite" : "pg"),
      initialized: this.#connection !== undefined,
      table: this.tableName,
      namespace: this.namespace,
      ...(this.#connection?.settings() ?? {}),
      healthy: this.isHealthy,
      retry: {
        enabled: o.enableRetry ?? true,
        maxRetries: o.maxRetries ?? 3,
        baseDelay: o.retryBaseDelay ?? 0.1,
      },
      circuitBreaker: this.#breaker === undefined ? "disabled" : this.#breaker.state,
      healthChecks: (o.enableHealthChecks ?? true) ? { interval: o.healthCheckInterval ?? 30 } : "disabled",
      metrics: this.poolMetrics,
    };
  }

  /** Closes every pooled connection (after in-flight work returns them); new ones open on demand. */
  async recycleConnections(options?: OperationOptions): Promise<number> {
    return this.run("recycleConnections", "CONNECTION", options, async () => {
      if (this.#connection === undefined) throw new StoreConfigurationError("SqlStore: not initialized");
      return this.#connection.recycle();
    });
  }

  /**
   * Runs `fn` with the drizzle database through the circuit breaker and retries (so `fn` must be idempotent, or
   * run its writes in one transaction). Errors come back as typed store errors.
   */
  async executeWithRetry<R>(fn: (db: SqlDatabase) => Promise<R>, options?: OperationOptions): Promise<R> {
    if (typeof fn !== "function") throw new InvalidArgumentError("executeWithRetry: fn must be a function");
    return this.run("executeWithRetry", "WRITE", options, (signal) =>
      this.#exec("executeWithRetry", "WRITE", true, signal, fn),
    );
  }
}
