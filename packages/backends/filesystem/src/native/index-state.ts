import type { IndexEntry, NormalizedQuery } from "@truthound/store-core";

/** What the index knows about one stored document. */
export interface Slot {
  entry: IndexEntry;
  file: string;
  etag: string;
  /** The log (or "snapshot", or "resolved") this state came from; records from another source are checked. */
  src: string;
}

export interface Tombstone {
  src: string;
  /** Wall time of the delete, ms. */
  at: number;
}

/** The in-memory index: documents by id, bucketed by data asset so asset queries scan only their bucket. */
export class IndexState {
  readonly #byId = new Map<string, Slot>();
  /** Entries, all and per asset: queries iterate these maps directly. */
  readonly #entries = new Map<string, IndexEntry>();
  readonly #byAsset = new Map<string, Map<string, IndexEntry>>();
  readonly #tombstones = new Map<string, Tombstone>();

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Slot | undefined {
    return this.#byId.get(id);
  }

  tombstone(id: string): Tombstone | undefined {
    return this.#tombstones.get(id);
  }

  /** The source that last changed `id`, live or deleted. */
  sourceOf(id: string): string | undefined {
    return this.#byId.get(id)?.src ?? this.#tombstones.get(id)?.src;
  }

  set(slot: Slot): void {
    const id = slot.entry.id;
    this.#unbucket(id);
    this.#tombstones.delete(id);
    this.#byId.set(id, slot);
    this.#entries.set(id, slot.entry);
    let bucket = this.#byAsset.get(slot.entry.dataAsset);
    if (bucket === undefined) {
      bucket = new Map();
      this.#byAsset.set(slot.entry.dataAsset, bucket);
    }
    bucket.set(id, slot.entry);
  }

  delete(id: string, tombstone: Tombstone): void {
    this.#unbucket(id);
    this.#byId.delete(id);
    this.#entries.delete(id);
    this.#tombstones.set(id, tombstone);
  }

  #unbucket(id: string): void {
    const previous = this.#byId.get(id);
    if (previous === undefined) return;
    const bucket = this.#byAsset.get(previous.entry.dataAsset);
    bucket?.delete(id);
    if (bucket?.size === 0) this.#byAsset.delete(previous.entry.dataAsset);
  }

  /** Entries that may match `query`: one asset's bucket when the query names an asset, else everything. */
  scan(query: Pick<NormalizedQuery, "dataAsset">): Iterable<IndexEntry> {
    if (query.dataAsset === undefined) return this.#entries.values();
    return this.#byAsset.get(query.dataAsset)?.values() ?? [];
  }

  slots(): IterableIterator<Slot> {
    return this.#byId.values();
  }

  tombstones(): IterableIterator<[string, Tombstone]> {
    return this.#tombstones.entries();
  }

  /** Forgets tombstones older than `before` (ms). */
  pruneTombstones(before: number): void {
    for (const [id, t] of this.#tombstones) if (t.at < before) this.#tombstones.delete(id);
  }
}
