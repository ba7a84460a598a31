import {
  BaseStore,
  type IndexEntry,
  type ItemWithEtag,
  type NormalizedQuery,
  type StoreCapabilities,
  StoreConflictError,
  StoreNotFoundError,
  type ValidationResult,
  validationResultAdapter,
  type WriteConditions,
} from "@truthound/store-core";

export interface MapStoreFlaws {
  /** Share objects with the caller instead of copying. */
  aliases?: boolean;
  /** Check the etag, then yield, then write: a lost-update race. */
  racyConditionalWrites?: boolean;
  /** Always sort newest first, whatever `ascending` says. */
  ignoresAscending?: boolean;
  /** Count every item, whatever the filters. */
  countsEverything?: boolean;
  /** Throw a plain Error for a missing id. */
  untypedNotFound?: boolean;
}

const CAPABILITIES: StoreCapabilities = {
  conditionalWrites: true,
  serverSideQuery: false,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
  persistent: true,
  multiProcess: false,
};

interface Slot {
  json: string;
  item: ValidationResult;
  entry: IndexEntry;
  etag: string;
}

/**
 * A small third-party style backend over a shared `Map` per namespace (so two instances on one namespace share
 * data), with switchable flaws to prove the conformance suite catches them.
 */
export class MapStore extends BaseStore<ValidationResult> {
  readonly backend = "map";
  readonly capabilities = CAPABILITIES;
  readonly #data: Map<string, Slot>;
  readonly #flaws: MapStoreFlaws;
  #etags = 0;

  constructor(data: Map<string, Slot>, flaws: MapStoreFlaws = {}) {
    super({ adapter: validationResultAdapter });
    this.#data = data;
    this.#flaws = flaws;
  }

  protected async doInitialize(): Promise<void> {}
  protected async doClose(): Promise<void> {}

  protected async writeItem(
    item: ValidationResult,
    entry: IndexEntry,
    conditions: WriteConditions,
  ): Promise<string> {
    const existing = this.#data.get(entry.id);
    if (conditions.ifNoneMatch === "*" && existing) throw new StoreConflictError(`exists: ${entry.id}`);
    if (conditions.ifMatch !== undefined && existing?.etag !== conditions.ifMatch) {
      throw new StoreConflictError(`etag mismatch: ${entry.id}`);
    }
    if (this.#flaws.racyConditionalWrites) await new Promise((resolve) => setTimeout(resolve, 1));
    const etag = `${Date.now()}-${++this.#etags}-${Math.random()}`;
    this.#data.set(entry.id, { json: JSON.stringify(item.toDict()), item, entry, etag });
    return etag;
  }

  protected async readItem(id: string): Promise<ItemWithEtag<ValidationResult>> {
    const slot = this.#data.get(id);
    if (!slot) {
      if (this.#flaws.untypedNotFound) throw new Error(`no such item ${id}`);
      throw new StoreNotFoundError(id, { backend: this.backend });
    }
    const item = this.#flaws.aliases ? slot.item : this.adapter.fromDocument(JSON.parse(slot.json));
    return { item, etag: slot.etag };
  }

  protected async removeItem(id: string): Promise<boolean> {
    return this.#data.delete(id);
  }

  protected async hasItem(id: string): Promise<boolean> {
    return this.#data.has(id);
  }

  protected async scanEntries(): Promise<Iterable<IndexEntry>> {
    return Array.from(this.#data.values(), (slot) => slot.entry);
  }

  protected override queryEntries(query: NormalizedQuery, signal: AbortSignal | undefined) {
    return super.queryEntries(this.#flaws.ignoresAscending ? { ...query, ascending: false } : query, signal);
  }

  protected override async countEntries(
    query: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    if (this.#flaws.countsEverything) return this.#data.size;
    return super.countEntries(query, signal);
  }
}

/** A factory whose stores share one `Map` per namespace. */
export function mapStoreFactory(flaws: MapStoreFlaws = {}) {
  const namespaces = new Map<string, Map<string, Slot>>();
  return ({ namespace }: { namespace: string }) => {
    const data = namespaces.get(namespace) ?? new Map<string, Slot>();
    namespaces.set(namespace, data);
    return new MapStore(data, flaws);
  };
}
