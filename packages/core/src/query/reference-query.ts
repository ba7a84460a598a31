import type { IndexEntry } from "../model/adapter.js";
import { encodeCursor, type NormalizedQuery, type SortKey } from "./store-query.js";

/** Compares strings by Unicode code point, the order of UTF-8 bytes, PostgreSQL's "C" collation and Redis. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export function sortKeyOf(entry: IndexEntry, orderBy: NormalizedQuery["orderBy"]): SortKey {
  const primary =
    orderBy === "runTime" ? entry.runTimeMs : orderBy === "dataAsset" ? entry.dataAsset : entry.status;
  return [primary, entry.runTimeMs, entry.id];
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  const [pa, ta, ia] = a;
  const [pb, tb, ib] = b;
  if (pa !== pb) {
    if (typeof pa === "number" && typeof pb === "number") return pa - pb;
    return compareCodePoints(String(pa), String(pb));
  }
  if (ta !== tb) return ta - tb;
  return compareCodePoints(ia, ib);
}

export function matchesQuery(entry: IndexEntry, q: NormalizedQuery): boolean {
  if (q.dataAsset !== undefined && entry.dataAsset !== q.dataAsset) return false;
  if (q.status !== undefined && entry.status !== q.status) return false;
  if (q.startMs !== undefined && entry.runTimeMs < q.startMs) return false;
  if (q.endMs !== undefined && entry.runTimeMs > q.endMs) return false;
  for (const key in q.tags) {
    if (entry.tags[key] !== q.tags[key]) return false;
  }
  return true;
}

/** Filters without ordering or paging: what `count` and `clear` need. */
export function filterEntries(entries: Iterable<IndexEntry>, q: NormalizedQuery): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (const entry of entries) if (matchesQuery(entry, q)) out.push(entry);
  return out;
}

export interface QueryPage {
  entries: IndexEntry[];
  nextCursor: string | undefined;
}

/**
 * The one reference semantics of `StoreQuery`: filter, order by `[orderBy, runTime, id]` (code-point order for
 * strings) in the requested direction, continue after the cursor, skip `offset`, take `limit`.
 */
export function applyQuery(entries: Iterable<IndexEntry>, q: NormalizedQuery): QueryPage {
  const sign = q.ascending ? 1 : -1;
  const keyed: Array<{ key: SortKey; entry: IndexEntry }> = [];
  for (const entry of entries) {
    if (!matchesQuery(entry, q)) continue;
    const key = sortKeyOf(entry, q.orderBy);
    if (q.after !== undefined && sign * compareSortKeys(key, q.after) <= 0) continue;
    keyed.push({ key, entry });
  }
  keyed.sort((a, b) => sign * compareSortKeys(a.key, b.key));
  const start = Math.min(q.offset, keyed.length);
  const end = q.limit === undefined ? keyed.length : Math.min(keyed.length, start + q.limit);
  const page = keyed.slice(start, end);
  const last = page[page.length - 1];
  const nextCursor =
    end < keyed.length && last !== undefined ? encodeCursor(last.key, q.orderBy, q.ascending) : undefined;
  return { entries: page.map((k) => k.entry), nextCursor };
}
