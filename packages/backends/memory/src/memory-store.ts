import {
  BaseStore,
  type Clock,
  type IndexEntry,
  type ItemAdapter,
  type ItemWithEtag,
  type NormalizedQuery,
  type OptionsSpec,
  type StoreCapabilities,
  StoreConflictError,
  StoreNotFoundError,
  type ValidationResult,
  validateOptions,
  validationResultAdapter,
  type WriteConditions,
} from "@truthound/store-core";

export interface MemoryStoreOptions<T = ValidationResult> {
  /** Keep at most this many items (0: unlimited); the oldest by run time is evicted, never the one being saved. */
  maxItems?: number;
  /** Copy items on save and get so the caller and the store never share mutable objects. Default true. */
  deepCopy?: boolean;
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  operationTimeoutMs?: number;
}

const SPEC: OptionsSpec<MemoryStoreOptions<unknown>> = {
  maxItems: { type: "number", integer: true, min: 0 },
  deepCopy: { type: "boolean" },
  adapter: { type: "object" },
  clock: { type: "object" },
  operationTimeoutMs: { type: "number", min: 1 },
};

/** With `deepCopy` the document is kept as JSON text: one serialization per save, one parse per get. */
interface Slot<T> {
  item: T | undefined;
  json: string | undefined;
  entry: IndexEntry;
  version: number;
}

const CAPABILITIES: StoreCapabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
  persistent: false,
  multiProcess: false,
};

/** Keeps items in a `Map`. For tests, caches and short-lived pipelines. */
export class MemoryStore<T = ValidationResult> extends BaseStore<T> {
  readonly backend = "memory";
  readonly capabilities = CAPABILITIES;
  readonly #items = new Map<string, Slot<T>>();
  readonly #maxItems: number;
  readonly #deepCopy: boolean;
  #version = 0;

  constructor(options: MemoryStoreOptions<T> = {}) {
    const o = validateOptions("MemoryStore", options, SPEC as OptionsSpec<MemoryStoreOptions<T>>);
    super({
      adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs,
    });
    this.#maxItems = o.maxItems ?? 0;
    this.#deepCopy = o.deepCopy ?? true;
  }

  get size(): number {
    return this.#items.size;
  }

  protected async doInitialize(): Promise<void> {}

  protected async doClose(): Promise<void> {
    this.#items.clear();
  }

  protected async writeItem(item: T, entry: IndexEntry, conditions: WriteConditions): Promise<string> {
    const existing = this.#items.get(entry.id);
    if (conditions.ifNoneMatch === "*" && existing) {
      throw new StoreConflictError(`Item already exists: ${entry.id}`, {
        backend: this.backend,
        id: entry.id,
      });
    }
    if (conditions.ifMatch !== undefined && (!existing || String(existing.version) !== conditions.ifMatch)) {
      throw new StoreConflictError(`Etag mismatch for ${entry.id}`, { backend: this.backend, id: entry.id });
    }
    const json = this.#deepCopy ? JSON.stringify(this.adapter.toDocument(item)) : undefined;
    const version = ++this.#version;
    if (!existing && this.#maxItems > 0 && this.#items.size >= this.#maxItems) this.#evictOldest();
    this.#items.set(entry.id, { item: json === undefined ? item : undefined, json, entry, version });
    return String(version);
  }

  #evictOldest(): void {
    let oldest: Slot<T> | undefined;
    for (const slot of this.#items.values()) {
      if (oldest === undefined || slot.entry.runTimeMs < oldest.entry.runTimeMs) oldest = slot;
    }
    if (oldest) this.#items.delete(oldest.entry.id);
  }

  protected async readItem(id: string): Promise<ItemWithEtag<T>> {
    const slot = this.#items.get(id);
    if (!slot) throw new StoreNotFoundError(id, { backend: this.backend, itemType: this.adapter.itemType });
    const item =
      slot.json === undefined ? (slot.item as T) : this.adapter.fromDocument(JSON.parse(slot.json));
    return { item, etag: String(slot.version) };
  }

  protected async removeItem(id: string): Promise<boolean> {
    return this.#items.delete(id);
  }

  protected async hasItem(id: string): Promise<boolean> {
    return this.#items.has(id);
  }

  protected async scanEntries(_query: NormalizedQuery): Promise<Iterable<IndexEntry>> {
    return Array.from(this.#items.values(), (slot) => slot.entry);
  }
}
