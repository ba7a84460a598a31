import { randomUUID } from "node:crypto";
import {
  BaseStore,
  decodeIdSegment,
  type IndexEntry,
  InvalidArgumentError,
  type ItemAdapter,
  type ItemWithEtag,
  type NormalizedQuery,
  type OperationOptions,
  type QueryPage,
  retryDelay,
  type StoreCapabilities,
  StoreConflictError,
  StoreError,
  StoreIntegrityError,
  StoreNotFoundError,
  StoreWriteError,
  systemScheduler,
  UnsupportedOperationError,
  type ValidationResult,
  validationResultAdapter,
  type WriteConditions,
} from "@truthound/store-core";
import type { Redis } from "ioredis";
import { createClient, waitUntilReady } from "./connection.js";
import { KeyLayout } from "./key-layout.js";
import { REINDEX_SCRIPT, SWEEP_INDEX_SCRIPT, SWEEP_META_SCRIPT } from "./lua/maintenance-scripts.js";
import { QUERY_SCRIPT } from "./lua/query-script.js";
import { DELETE_SCRIPT, SAVE_SCRIPT } from "./lua/write-scripts.js";
import type { RedisStoreOptions } from "./options.js";
import { validateRedisOptions } from "./options.js";
import { hasLoneSurrogate, matchesNothing, parsePageReply, queryArgs } from "./query-args.js";
import { BACKEND, mapRedisError, wasNotSent } from "./redis-errors.js";
import { LuaScript, type ScriptArg } from "./script-runner.js";

const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;
const DEFAULT_KEY_PREFIX = "truthound:";
const MAX_RETRY_DELAY_MS = 1_000;
const SCAN_COUNT = 500;
/** A staged document not renamed into place by its save script (a dropped connection) expires after this. */
const STAGING_TTL_MS = 60_000;
/** ZRANGE ... BYSCORE/BYLEX with REV and LIMIT. */
const MIN_SERVER_VERSION = [6, 2];

const scripts = {
  save: new LuaScript(SAVE_SCRIPT),
  delete: new LuaScript(DELETE_SCRIPT),
  query: new LuaScript(QUERY_SCRIPT),
  reindex: new LuaScript(REINDEX_SCRIPT),
  sweepMeta: new LuaScript(SWEEP_META_SCRIPT),
  sweepIndex: new LuaScript(SWEEP_INDEX_SCRIPT),
};

/**
 * How a command may be retried after a retryable failure: reads always; `save` always (a retry whose first
 * attempt was applied is recognised by its etag); `delete` only when the command never reached the server,
 * since a repeated delete would report `false` for a document the first attempt deleted.
 */
type RetryKind = "read" | "idempotent-write" | "write";

/** What `rebuildIndex()` found and repaired. */
export interface RedisRebuildReport {
  /** Documents found by SCAN. */
  documents: number;
  /** Documents re-indexed from their contents. */
  reindexed: number;
  /** Documents that could not be decoded (left in place; their old index entries are kept). */
  unreadable: string[];
  /** Index records of documents that no longer exist, removed. */
  removedRecords: number;
  /** Stray members of index sorted sets and registries, removed. */
  removedIndexEntries: number;
}

/**
 * Validation results in Redis: each document in a hash with its etag, written together with its index
 * entries by one Lua script; queries answered from sorted sets (time as score) by another, without reading
 * documents; optional TTL that takes the index entries with it.
 */
export class RedisStore<T = ValidationResult> extends BaseStore<T> {
  readonly backend = BACKEND;
  readonly capabilities: StoreCapabilities;
  readonly namespace: string;
  readonly keys: KeyLayout;
  #client: Redis;
  /** Options of the client the store creates; undefined for a caller-supplied client. */
  readonly #clientOptions: RedisStoreOptions<unknown> | undefined;
  readonly #ttlMs: number | undefined;
  readonly #retries: number;
  readonly #retryBaseDelayMs: number;

  constructor(options: RedisStoreOptions<T> = {}) {
    const o = validateRedisOptions<T>(options);
    super({
      adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
      codecs: o.codecs,
      rawGzip: o.useCompression ?? false,
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    });
    this.namespace = o.namespace ?? "default";
    this.keys = new KeyLayout(o.keyPrefix ?? DEFAULT_KEY_PREFIX, this.namespace);
    this.#ttlMs = o.ttlSeconds === undefined ? undefined : o.ttlSeconds * 1000;
    this.#retries = o.retries ?? 4;
    this.#retryBaseDelayMs = o.retryBaseDelayMs ?? 50;
    this.#clientOptions = o.client === undefined ? (o as RedisStoreOptions<unknown>) : undefined;
    this.#client = o.client ?? createClient(o as RedisStoreOptions<unknown>);
    this.capabilities = {
      conditionalWrites: true,
      serverSideQuery: true,
      nativeTtl: this.#ttlMs !== undefined,
      nativeVersions: false,
      streaming: false,
      persistent: true,
      multiProcess: true,
    };
  }

  /** The ioredis client (the caller's, or the one the store created). */
  get client(): Redis {
    return this.#client;
  }

  protected async doInitialize(signal: AbortSignal | undefined): Promise<void> {
    try {
      await waitUntilReady(this.#client, signal);
      const info = await this.#client.info("server");
      const version = /redis_version:(\d+)\.(\d+)/.exec(info);
      const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
      const [needMajor = 0, needMinor = 0] = MIN_SERVER_VERSION;
      if (major < needMajor || (major === needMajor && minor < needMinor)) {
        throw new UnsupportedOperationError(
          `redis: server ${version?.[0] ?? "of unknown version"} is too old; Redis >= ${MIN_SERVER_VERSION.join(".")} is needed`,
          { backend: BACKEND },
        );
      }
    } catch (error) {
      // An owned client must not keep reconnecting in the background (nor keep the process alive): it is
      // dropped, and the next operation starts over with a fresh one.
      if (this.#clientOptions !== undefined) {
        this.#client.disconnect();
        this.#client = createClient(this.#clientOptions);
      }
      throw mapRedisError(error, { operation: "initialize", fallback: "READ" });
    }
  }

  protected async doClose(): Promise<void> {
    if (this.#clientOptions === undefined) return;
    try {
      await this.#client.quit();
    } catch {
      // Not connected: nothing to say goodbye to.
      this.#client.disconnect();
    }
  }

  /** Runs one command, retrying retryable failures with backoff as `kind` allows. */
  async #command<R>(
    operation: string,
    id: string | undefined,
    kind: RetryKind,
    signal: AbortSignal | undefined,
    work: () => Promise<R>,
  ): Promise<R> {
    const fallback = kind === "read" ? "READ" : "WRITE";
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const mapped = mapRedisError(error, { operation, id, fallback });
        const retry =
          mapped.retryable &&
          attempt <= this.#retries &&
          signal?.aborted !== true &&
          (kind !== "write" || wasNotSent(error));
        if (!retry) throw mapped;
        const delay = retryDelay(attempt, {
          baseDelayMs: this.#retryBaseDelayMs,
          maxDelayMs: MAX_RETRY_DELAY_MS,
          jitter: "equal",
        });
        await systemScheduler.sleep(delay, signal);
      }
    }
  }

  #run(script: LuaScript, args: readonly ScriptArg[]): Promise<unknown> {
    return script.run(this.#client, [this.keys.base, ...args]);
  }

  protected async writeItem(
    item: T,
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    checkStorable(entry);
    const bytes = await this.encodeItem(item);
    const etag = randomUUID();
    const staged = withEtag(etag, bytes);
    const stagingKey = `${this.keys.base}s:${etag}`;
    const args: ScriptArg[] = [
      entry.id,
      etag,
      String(entry.runTimeMs),
      entry.dataAsset,
      entry.status,
      JSON.stringify(entry.tags),
      this.#ttlMs === undefined ? "" : String(this.#ttlMs),
      conditions.ifMatch ?? "",
      conditions.ifNoneMatch === "*" ? "1" : "",
    ];
    for (const [key, value] of Object.entries(entry.tags)) args.push(key, value);
    const reply = (await this.#command("save", entry.id, "idempotent-write", signal, async () => {
      // Sent back to back on one connection: Redis runs the SET, then the script.
      const [, result] = await Promise.all([
        this.#client.set(stagingKey, staged, "PX", STAGING_TTL_MS),
        this.#run(scripts.save, args),
      ]);
      return result;
    })) as string[];
    if (reply[0] === "unstaged") {
      throw new StoreWriteError(
        `redis.save ${JSON.stringify(entry.id)}: the staged document was not stored`,
        {
          backend: BACKEND,
          id: entry.id,
          retryable: true,
        },
      );
    }
    if (reply[0] === "conflict") {
      const why =
        reply[1] === "exists"
          ? "a document with this id exists (ifNoneMatch)"
          : reply[1] === "missing"
            ? "no document with this id exists (ifMatch)"
            : "the stored etag differs (ifMatch)";
      throw new StoreConflictError(`redis.save ${JSON.stringify(entry.id)}: ${why}`, {
        backend: BACKEND,
        id: entry.id,
      });
    }
    return etag;
  }

  protected async readItem(id: string, signal: AbortSignal | undefined): Promise<ItemWithEtag<T>> {
    const key = this.keys.document(id);
    const stored = await this.#command("get", id, "read", signal, () => this.#client.getBuffer(key));
    if (stored === null)
      throw new StoreNotFoundError(id, { backend: BACKEND, itemType: this.adapter.itemType });
    const { etag, body } = splitEtag(stored, id);
    return { item: await this.decodeItem(body, id), etag };
  }

  protected async removeItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    const removed = await this.#command("delete", id, "write", signal, () => this.#run(scripts.delete, [id]));
    return removed === 1;
  }

  protected async hasItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    const key = this.keys.document(id);
    return (await this.#command("exists", id, "read", signal, () => this.#client.exists(key))) === 1;
  }

  /** Every entry the query matches, unpaged (what the base class asks of a backend without native query). */
  protected async scanEntries(
    query: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<IndexEntry[]> {
    const unpaged = { ...query, offset: 0, limit: undefined, after: undefined };
    return (await this.queryEntries(unpaged, signal)).entries;
  }

  protected override async queryEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<QueryPage> {
    if (matchesNothing(q)) return { entries: [], nextCursor: undefined };
    const reply = await this.#command("query", undefined, "read", signal, () =>
      this.#run(scripts.query, queryArgs(q, "page")),
    );
    return parsePageReply(reply, q);
  }

  protected override async countEntries(
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    if (matchesNothing(q)) return 0;
    const reply = await this.#command("count", undefined, "read", signal, () =>
      this.#run(scripts.query, queryArgs(q, "count")),
    );
    return Number(reply);
  }

  /**
   * Maintenance: re-indexes every document from its contents and removes index records and entries that
   * point nowhere (after keys were deleted or edited behind the store's back). Walks the namespace with SCAN;
   * queries stay correct while it runs. Not bound by the default operation deadline.
   */
  async rebuildIndex(options: OperationOptions = {}): Promise<RedisRebuildReport> {
    await this.initialize(options);
    const signal = options.signal;
    const report: RedisRebuildReport = {
      documents: 0,
      reindexed: 0,
      unreadable: [],
      removedRecords: 0,
      removedIndexEntries: 0,
    };
    const idOfKey = (key: string, kind: "d:" | "m:") =>
      decodeIdSegment(key.slice(this.keys.base.length + kind.length));
    await this.#scanKeys(this.keys.documentPattern, signal, async (keys) => {
      for (const key of keys) {
        const id = idOfKey(key, "d:");
        report.documents++;
        let entry: IndexEntry;
        try {
          const stored = await this.#command("rebuild", id, "read", signal, () =>
            this.#client.getBuffer(key),
          );
          if (stored === null) continue;
          entry = this.adapter.entryOf(await this.decodeItem(splitEtag(stored, id).body, id));
          checkStorable(entry);
        } catch (error) {
          if (error instanceof StoreError && error.code === "CONNECTION") throw error;
          report.unreadable.push(id);
          continue;
        }
        const args: ScriptArg[] = [
          id,
          String(entry.runTimeMs),
          entry.dataAsset,
          entry.status,
          JSON.stringify(entry.tags),
        ];
        for (const [k, v] of Object.entries(entry.tags)) args.push(k, v);
        const done = await this.#command("rebuild", id, "idempotent-write", signal, () =>
          this.#run(scripts.reindex, args),
        );
        if (done === 1) report.reindexed++;
      }
    });
    await this.#scanKeys(this.keys.metaPattern, signal, async (keys) => {
      const ids = keys.map((key) => idOfKey(key, "m:"));
      const removed = await this.#command("rebuild", undefined, "idempotent-write", signal, () =>
        this.#run(scripts.sweepMeta, ids),
      );
      report.removedRecords += Number(removed);
    });
    const sweep = async (zkey: string) => {
      let cursor = "0";
      do {
        const [next, flat] = await this.#command("rebuild", undefined, "read", signal, () =>
          this.#client.zscan(zkey, cursor, "COUNT", SCAN_COUNT),
        );
        cursor = next;
        const members = flat.filter((_, i) => i % 2 === 0);
        if (members.length === 0) continue;
        const removed = await this.#command("rebuild", undefined, "idempotent-write", signal, () =>
          this.#run(scripts.sweepIndex, [zkey, ...members]),
        );
        report.removedIndexEntries += Number(removed);
      } while (cursor !== "0");
    };
    await this.#scanKeys(this.keys.indexPattern, signal, async (keys) => {
      for (const key of keys) await sweep(key);
    });
    for (const registry of this.keys.registries) await sweep(registry);
    return report;
  }

  async #scanKeys(
    pattern: string,
    signal: AbortSignal | undefined,
    visit: (keys: string[]) => Promise<void>,
  ): Promise<void> {
    let cursor = "0";
    do {
      signal?.throwIfAborted();
      const [next, keys] = await this.#command("scan", undefined, "read", signal, () =>
        this.#client.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT),
      );
      cursor = next;
      if (keys.length > 0) await visit(keys);
    } while (cursor !== "0");
  }
}

/** The stored form of a document: one byte n, the etag (n ASCII bytes), the document's bytes. */
function withEtag(etag: string, bytes: Uint8Array): Buffer {
  const stored = Buffer.allocUnsafe(1 + etag.length + bytes.byteLength);
  stored[0] = etag.length;
  stored.write(etag, 1, "latin1");
  stored.set(bytes, 1 + etag.length);
  return stored;
}

function splitEtag(stored: Buffer, id: string): { etag: string; body: Buffer } {
  const length = stored[0] ?? 0;
  if (length === 0 || stored.length < 1 + length) {
    throw new StoreIntegrityError(
      `redis: the stored value of ${JSON.stringify(id)} has no etag header (corrupt)`,
      {
        backend: BACKEND,
        id,
      },
    );
  }
  return { etag: stored.toString("latin1", 1, 1 + length), body: stored.subarray(1 + length) };
}

/** Index fields Redis cannot hold faithfully are refused before anything is written. */
function checkStorable(entry: IndexEntry): void {
  if (!Number.isSafeInteger(entry.runTimeMs)) {
    throw new InvalidArgumentError(`run time of ${JSON.stringify(entry.id)} is not a valid time`, {
      id: entry.id,
    });
  }
  const texts: Array<[string, string]> = [
    ["dataAsset", entry.dataAsset],
    ["status", entry.status],
  ];
  for (const [key, value] of Object.entries(entry.tags))
    texts.push([`tag key ${JSON.stringify(key)}`, key], [`tag ${JSON.stringify(key)}`, value]);
  for (const [what, text] of texts) {
    if (typeof text !== "string" || hasLoneSurrogate(text)) {
      throw new InvalidArgumentError(
        `${what} of ${JSON.stringify(entry.id)} must be a string without unpaired surrogates`,
        {
          id: entry.id,
          backend: BACKEND,
        },
      );
    }
  }
}
