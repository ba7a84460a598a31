import {
  compareSortKeys,
  type IndexEntry,
  isStoreError,
  matchesQuery,
  type NormalizedQuery,
  settleEach,
  sortKeyOf,
} from "@truthound/store-core";
import { type BlobHead, type BlobStorage, listAll } from "./blob-storage.js";
import type { DocumentFormat, KeyLayout } from "./key-layout.js";
import {
  assetSegment,
  type BuiltMarker,
  etagToken,
  invertedTime,
  type Marker,
  parseMarker,
  parseMarkerBody,
} from "./marker-name.js";

/** Document metadata naming the marker that indexes it, and that marker's token. */
export const META_TOKEN = "truthound_token";
export const META_MARKER = "truthound_marker";

/** With more asset prefixes than this, a query without `dataAsset` lists all markers in one pass instead. */
const MAX_ASSET_FANOUT = 64;
/** Run times beyond what a `Date` can hold are clamped, so every bound has an inverted-time key. */
const MAX_TIME_MS = 8.64e15;
const CONCURRENCY = 8;

/** The token a stored document carries: ours from its metadata, or one derived from its etag. */
export function tokenOfDocument(head: BlobHead): string {
  return head.metadata[META_TOKEN] ?? etagToken(head.etag);
}

export interface IndexedEntry {
  entry: IndexEntry;
  marker: Marker;
}

/**
 * The native index: one marker object per document (see `marker-name.ts`). Listings answer queries; a marker
 * is trusted only while it is the sole marker of its id within what was listed, and documents read by a query
 * are checked against their marker's token. Stale markers found either way are deleted.
 */
export class MarkerIndex {
  constructor(
    private readonly storage: BlobStorage,
    private readonly layout: KeyLayout,
    private readonly preferredFormat: DocumentFormat,
  ) {}

  keyOf(name: string): string {
    return this.layout.markersPrefix + name;
  }

  async write(marker: BuiltMarker, signal: AbortSignal | undefined): Promise<void> {
    await this.storage.put(this.keyOf(marker.name), marker.body, {
      kind: "index",
      contentType: "application/octet-stream",
      signal,
    });
  }

  async remove(name: string, signal: AbortSignal | undefined): Promise<void> {
    await this.storage.delete(this.keyOf(name), { signal });
  }

  /**
   * Index entries that can match `q`. When the query runs newest first by run time, listing stops once `need`
   * matching entries (after the cursor) are found and their last run time is complete.
   */
  async collect(q: NormalizedQuery, need: number, signal: AbortSignal | undefined): Promise<IndexedEntry[]> {
    for (let round = 0; ; round++) {
      const listed = await this.#list(q, need, signal);
      const { entries, dropped } = await this.#resolveDuplicates(listed, signal);
      // Dropping stale markers may leave an early-stopped page short; list again (stale markers are gone now).
      if (dropped === 0 || need === Number.POSITIVE_INFINITY || round >= 2) return entries;
    }
  }

  async #list(q: NormalizedQuery, need: number, signal: AbortSignal | undefined): Promise<IndexedEntry[]> {
    const newestFirst = q.orderBy === "runTime" && !q.ascending;
    let hi = q.endMs;
    let lo = q.startMs;
    if (q.orderBy === "runTime" && q.after !== undefined) {
      const t = q.after[1];
      if (newestFirst) hi = hi === undefined ? t : Math.min(hi, t);
      else lo = lo === undefined ? t : Math.max(lo, t);
    }
    const range = { hi: clamp(hi), lo: clamp(lo), need: newestFirst ? need : Number.POSITIVE_INFINITY };
    let assets: string[] | undefined;
    if (q.dataAsset !== undefined) assets = [assetSegment(q.dataAsset)];
    else if (hi !== undefined || lo !== undefined || range.need !== Number.POSITIVE_INFINITY) {
      assets = await this.#assetSegments(signal);
      if (assets.length > MAX_ASSET_FANOUT) assets = undefined;
    }
    if (assets === undefined) return this.#listRange(this.layout.markersPrefix, undefined, q, signal);
    const perAsset = await settleEach(
      assets,
      (a) => a,
      (asset) => this.#listRange(`${this.layout.markersPrefix}${asset}/`, range, q, signal),
      CONCURRENCY,
      "READ",
    );
    const out: IndexedEntry[] = [];
    for (const outcome of perAsset) {
      if (!outcome.ok) throw outcome.error;
      out.push(...outcome.value);
    }
    return out;
  }

  async #assetSegments(signal: AbortSignal | undefined): Promise<string[]> {
    const assets: string[] = [];
    for await (const page of listAll(this.storage, {
      prefix: this.layout.markersPrefix,
      delimiter: "/",
      signal,
    })) {
      for (const p of page.prefixes) assets.push(p.slice(this.layout.markersPrefix.length, -1));
    }
    return assets;
  }

  /** Lists one prefix; with a range, only markers within it (the prefix is one asset, newest first). */
  async #listRange(
    prefix: string,
    range: { hi: number | undefined; lo: number | undefined; need: number } | undefined,
    q: NormalizedQuery,
    signal: AbortSignal | undefined,
  ): Promise<IndexedEntry[]> {
    const out: IndexedEntry[] = [];
    const startAfter = range?.hi === undefined ? undefined : prefix + invertedTime(range.hi);
    const sign = q.ascending ? 1 : -1;
    let matched = 0;
    let stopBelow: number | undefined;
    for await (const page of listAll(this.storage, { prefix, startAfter, signal })) {
      for (const item of page.items) {
        const marker = parseMarker(item.key.slice(this.layout.markersPrefix.length));
        if (range?.lo !== undefined && marker.runTimeMs < range.lo) return out;
        if (stopBelow !== undefined && marker.runTimeMs < stopBelow) return out;
        const entry = marker.entry ?? (await this.#readBody(marker.name, signal));
        if (entry === undefined) continue;
        marker.entry = entry;
        out.push({ entry, marker });
        if (range === undefined || range.need === Number.POSITIVE_INFINITY || !matchesQuery(entry, q))
          continue;
        if (q.after !== undefined && sign * compareSortKeys(sortKeyOf(entry, q.orderBy), q.after) <= 0)
          continue;
        if (++matched >= range.need) stopBelow ??= marker.runTimeMs;
      }
    }
    return out;
  }

  async #readBody(name: string, signal: AbortSignal | undefined): Promise<IndexEntry | undefined> {
    try {
      return parseMarkerBody(name, (await this.storage.get(this.keyOf(name), signal)).bytes);
    } catch (error) {
      // Deleted between the listing and the read: it no longer indexes anything.
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
  }

  /** Keeps one current marker per id; deletes markers whose document no longer carries their token. */
  async #resolveDuplicates(
    listed: IndexedEntry[],
    signal: AbortSignal | undefined,
  ): Promise<{ entries: IndexedEntry[]; dropped: number }> {
    const byId = new Map<string, IndexedEntry[]>();
    for (const item of listed) {
      const group = byId.get(item.entry.id);
      if (group === undefined) byId.set(item.entry.id, [item]);
      else group.push(item);
    }
    const entries: IndexedEntry[] = [];
    const contested: IndexedEntry[][] = [];
    for (const group of byId.values()) {
      if (group.length === 1) entries.push(group[0] as IndexedEntry);
      else contested.push(group);
    }
    let dropped = 0;
    const outcomes = await settleEach(
      contested,
      (group) => (group[0] as IndexedEntry).entry.id,
      (group) => this.#current(group, signal),
      CONCURRENCY,
      "READ",
    );
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.ok) throw outcome.error;
      const group = contested[i] as IndexedEntry[];
      dropped += group.length - (outcome.value === undefined ? 0 : 1);
      if (outcome.value !== undefined) entries.push(outcome.value);
    }
    return { entries, dropped };
  }

  async #current(group: IndexedEntry[], signal: AbortSignal | undefined): Promise<IndexedEntry | undefined> {
    const id = (group[0] as IndexedEntry).entry.id;
    const heads = new Map<DocumentFormat, BlobHead | undefined>();
    for (const { marker } of group) {
      if (!heads.has(marker.format)) {
        heads.set(marker.format, await this.storage.head(this.layout.documentKey(id, marker.format), signal));
      }
    }
    const valid: IndexedEntry[] = [];
    for (const item of group) {
      const head = heads.get(item.marker.format);
      if (head !== undefined && tokenOfDocument(head) === item.marker.token) valid.push(item);
      else await this.remove(item.marker.name, signal);
    }
    return valid.find((v) => v.marker.format === this.preferredFormat) ?? valid[0];
  }

  /** Removes a marker found stale while reading its document (gone, or carrying another token). */
  async repairStale(marker: Marker, signal: AbortSignal | undefined): Promise<void> {
    await this.remove(marker.name, signal);
  }
}

function clamp(ms: number | undefined): number | undefined {
  if (ms === undefined) return undefined;
  return Math.max(-MAX_TIME_MS, Math.min(MAX_TIME_MS, ms));
}
