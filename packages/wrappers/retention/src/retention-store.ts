import {
  type BatchOutcome,
  type ItemAdapter,
  type ItemWithEtag,
  type IterQueryOptions,
  isStoreError,
  type OperationOptions,
  type Page,
  type SaveOptions,
  type SaveResult,
  type Store,
  type StoreCapabilities,
  StoreClosedError,
  type StoreQuery,
  settleEach,
  toStoreError,
  type ValidationResult,
  validateId,
} from "@truthound/store-core";
import { type CleanupAction, type CleanupResult, newestFirst, planCleanup } from "./cleanup.js";
import { type LedgerRecord, ledgerRecordOf } from "./ledger.js";
import {
  type ResolvedRetentionOptions,
  type RetentionStoreOptions,
  resolveRetentionOptions,
} from "./options.js";
import type { ItemMetadata } from "./policies/policy.js";
import { RetentionScheduler, type SchedulerStatus } from "./scheduler.js";

/**
 * Removes (deletes, archives or quarantines) the items its policies select. It keeps a small ledger (the index
 * entry and size of every item, written at save) and plans from it, so a cleanup never reads every document;
 * cleanups run when `runCleanup()` is called or on the scheduler, never inside a caller's save.
 */
export class RetentionStore<T = ValidationResult> implements Store<T> {
  readonly backend: string;
  readonly capabilities: StoreCapabilities;
  readonly #base: Store<T>;
  readonly #o: ResolvedRetentionOptions<T>;
  readonly #adapter: ItemAdapter<T>;
  readonly #ledger: Store<LedgerRecord>;
  readonly #scheduler: RetentionScheduler;
  #running: Promise<CleanupResult> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #lastResult: CleanupResult | undefined;
  #initialized = false;

  constructor(base: Store<T>, options: RetentionStoreOptions<NoInfer<T>>) {
    this.#o = resolveRetentionOptions(base, options);
    this.#base = base;
    this.#adapter = this.#o.adapter;
    this.#ledger = this.#o.ledgerStore;
    this.backend = `retention(${base.backend})`;
    this.capabilities = {
      ...base.capabilities,
      persistent: base.capabilities.persistent && this.#ledger.capabilities.persistent,
      multiProcess: base.capabilities.multiProcess && this.#ledger.capabilities.multiProcess,
    };
    this.#scheduler = new RetentionScheduler(
      this.#o.schedule,
      this.#o.clock,
      this.#o.scheduler,
      async () => {
        const result = await this.runCleanup();
        this.#o.onCleanup?.(result);
      },
      (error) => this.#o.onError?.(error),
    );
  }

  get inner(): Store<T> {
    return this.#base;
  }

  #open(): void {
    if (this.#closed)
      throw new StoreClosedError(`${this.backend} store is closed`, { backend: this.backend });
  }

  /** Opens the stores and, with `schedule.enabled`, starts the scheduler. */
  async initialize(options?: OperationOptions): Promise<void> {
    this.#open();
    await Promise.all([this.#base.initialize(options), this.#ledger.initialize(options)]);
    if (this.#o.schedule.enabled && !this.#closed && !this.#initialized) this.#scheduler.start();
    this.#initialized = true;
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#closing;
    this.#closed = true;
    this.#scheduler.stop();
    this.#closing = (async () => {
      await this.#running?.catch(() => undefined);
      const stores: Store<unknown>[] = [];
      if (this.#o.closeInnerStores) {
        stores.push(this.#base as Store<unknown>, this.#ledger as Store<unknown>);
        if (this.#o.archiveStore) stores.push(this.#o.archiveStore as Store<unknown>);
        if (this.#o.quarantineStore) stores.push(this.#o.quarantineStore as Store<unknown>);
      } else if (this.#o.ownsLedger) stores.push(this.#ledger as Store<unknown>);
      await Promise.all(stores.map((s) => s.close()));
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- writes keep the ledger in step --------------------------------------------------------------------------

  async save(item: T, options?: SaveOptions): Promise<string> {
    return (await this.saveWithEtag(item, options)).id;
  }

  async saveWithEtag(item: T, options?: SaveOptions): Promise<SaveResult> {
    this.#open();
    await this.#ensureStarted();
    const document = this.#adapter.toDocument(item);
    const entry = this.#adapter.entryOf(item);
    const saved = await this.#base.saveWithEtag(item, options);
    const size = Buffer.byteLength(JSON.stringify(document), "utf8");
    await this.#ledger.save(ledgerRecordOf(entry, size, this.#o.clock.now()));
    return saved;
  }

  async delete(id: string, options?: OperationOptions): Promise<boolean> {
    this.#open();
    validateId(id);
    await this.#ensureStarted();
    const deleted = await this.#base.delete(id, options);
    await this.#ledger.delete(id);
    return deleted;
  }

  async clear(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    this.#open();
    const ids = await this.#base.listIds(query, options);
    let deleted = 0;
    for (const outcome of await this.deleteMany(ids, options)) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.value) deleted++;
    }
    return deleted;
  }

  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    return settleEach(
      items,
      (item) => this.#safeId(item),
      (item) => this.save(item, options),
    );
  }

  deleteMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<boolean>[]> {
    return settleEach(
      ids,
      (id) => id,
      (id) => this.delete(id, options),
    );
  }

  #safeId(item: T): string {
    try {
      return String(this.#adapter.idOf(item));
    } catch {
      return "";
    }
  }

  /** Operations initialize lazily, so the scheduler starts with the first operation; `stopScheduler()` is final until `startScheduler()`. */
  async #ensureStarted(): Promise<void> {
    if (!this.#initialized) await this.initialize();
  }

  // ---- reads are the wrapped store's ---------------------------------------------------------------------------

  async get(id: string, options?: OperationOptions): Promise<T> {
    this.#open();
    return this.#base.get(id, options);
  }

  async getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>> {
    this.#open();
    return this.#base.getWithEtag(id, options);
  }

  async exists(id: string, options?: OperationOptions): Promise<boolean> {
    this.#open();
    return this.#base.exists(id, options);
  }

  async listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]> {
    this.#open();
    return this.#base.listIds(query, options);
  }

  async listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>> {
    this.#open();
    return this.#base.listIdsPage(query, options);
  }

  async query(query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    this.#open();
    return this.#base.query(query, options);
  }

  async queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    this.#open();
    return this.#base.queryPage(query, options);
  }

  async *iterQuery(query?: StoreQuery, options?: IterQueryOptions): AsyncIterable<T> {
    this.#open();
    yield* this.#base.iterQuery(query, options);
  }

  async count(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    this.#open();
    return this.#base.count(query, options);
  }

  async getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined> {
    this.#open();
    return this.#base.getLatest(dataAsset, options);
  }

  async getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    this.#open();
    return this.#base.getMany(ids, options);
  }

  // ---- retention -------------------------------------------------------------------------------------------------

  /**
   * Applies the policies now (only reporting, with `dryRun`). Per-item failures are reported in the result's
   * actions; failures to read the index throw. A call while a cleanup runs returns that cleanup's result.
   */
  runCleanup(): Promise<CleanupResult> {
    return this.#exclusive(this.#o.dryRun);
  }

  /** What a cleanup would do now, without doing it (and without touching the scheduler's state). */
  estimateCleanup(): Promise<CleanupResult> {
    this.#open();
    return this.#cleanup(true);
  }

  get lastCleanup(): CleanupResult | undefined {
    return this.#lastResult;
  }

  schedulerStatus(): SchedulerStatus {
    return this.#scheduler.status();
  }

  /** Starts the scheduler (also started by `initialize()` when `schedule.enabled`). */
  startScheduler(): void {
    this.#open();
    this.#scheduler.start();
  }

  stopScheduler(): void {
    this.#scheduler.stop();
  }

  #exclusive(dryRun: boolean): Promise<CleanupResult> {
    try {
      this.#open();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#running ??= this.#cleanup(dryRun).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #readLedger(): Promise<Map<string, ItemMetadata>> {
    const known = new Map<string, ItemMetadata>();
    for await (const record of this.#ledger.iterQuery({}, { batchSize: 1000 })) known.set(record.id, record);
    return known;
  }

  /** Items the ledger misses (saved around the wrapper) are read once; records of vanished items are dropped. */
  async #reconcile(dryRun: boolean): Promise<{ items: ItemMetadata[]; adopted: number; stale: number }> {
    const [ids, known] = await Promise.all([this.#base.listIds(), this.#readLedger()]);
    const present = new Set(ids);
    let stale = 0;
    for (const id of known.keys()) {
      if (present.has(id)) continue;
      known.delete(id);
      stale++;
      if (!dryRun) await this.#ledger.delete(id);
    }
    const unknown = ids.filter((id) => !known.has(id));
    const fetched = unknown.length === 0 ? [] : await this.#base.getMany(unknown);
    for (const outcome of fetched) {
      if (!outcome.ok) {
        if (isStoreError(outcome.error, "NOT_FOUND")) continue;
        throw outcome.error;
      }
      const document = this.#adapter.toDocument(outcome.value);
      const record = ledgerRecordOf(
        this.#adapter.entryOf(outcome.value),
        Buffer.byteLength(JSON.stringify(document), "utf8"),
        this.#o.clock.now(),
      );
      if (!dryRun) await this.#ledger.save(record);
      known.set(record.id, record);
    }
    return { items: newestFirst([...known.values()]), adopted: unknown.length, stale };
  }

  async #cleanup(dryRun: boolean): Promise<CleanupResult> {
    await this.#ensureStarted();
    const startedMs = this.#o.clock.now();
    const { items, adopted, stale } = await this.#reconcile(dryRun);
    const plan = planCleanup(items, startedMs, this.#o);
    const actions: CleanupAction[] = plan.planned.map((p) => ({
      ...p,
      outcome: dryRun ? "planned" : "skipped",
    }));
    let truncated = false;
    if (!dryRun) {
      const { batchSize, maxDurationMs } = this.#o.schedule;
      for (let start = 0; start < actions.length; start += batchSize) {
        if (this.#o.clock.now() - startedMs >= maxDurationMs) {
          truncated = true;
          break;
        }
        await Promise.all(actions.slice(start, start + batchSize).map((a) => this.#apply(a)));
      }
    }
    const count = (action: string) =>
      actions.filter((a) => a.action === action && a.outcome === "done").length;
    const result: CleanupResult = {
      dryRun,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: new Date(this.#o.clock.now()).toISOString(),
      scanned: items.length,
      adopted,
      stale,
      excluded: plan.excluded,
      preserved: plan.preserved,
      actions,
      deleted: count("DELETE"),
      archived: count("ARCHIVE"),
      quarantined: count("QUARANTINE"),
      failed: actions.filter((a) => a.outcome === "failed").length,
      bytesFreed: actions.filter((a) => a.outcome === "done").reduce((sum, a) => sum + a.sizeBytes, 0),
      truncated,
    };
    if (!dryRun) this.#lastResult = result;
    return result;
  }

  /** Copies before it deletes: an item is removed only once its ARCHIVE or QUARANTINE copy is saved. */
  async #apply(action: CleanupAction): Promise<void> {
    try {
      const target =
        action.action === "ARCHIVE"
          ? this.#o.archiveStore
          : action.action === "QUARANTINE"
            ? this.#o.quarantineStore
            : undefined;
      if (target !== undefined) await target.save(await this.#base.get(action.id));
      await this.#base.delete(action.id);
      await this.#ledger.delete(action.id);
      action.outcome = "done";
    } catch (error) {
      action.outcome = "failed";
      action.error = toStoreError(error, "WRITE", `retention ${action.action} of ${action.id} failed`, {
        id: action.id,
      });
    }
  }
}
