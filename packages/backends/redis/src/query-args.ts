import {
  encodeCursor,
  type IndexEntry,
  type NormalizedQuery,
  type QueryPage,
  StoreIntegrityError,
  sortKeyOf,
} from "@truthound/store-core";
import { BACKEND } from "./redis-errors.js";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text Redis cannot hold faithfully (UTF-8 has no lone surrogates); such values are never stored. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** A query no stored entry can match: a filter value that could not have been written. */
export function matchesNothing(q: NormalizedQuery): boolean {
  const texts = [q.dataAsset, q.status, ...Object.entries(q.tags).flat()];
  return texts.some((text) => text !== undefined && hasLoneSurrogate(text));
}

/** ARGV of the query script (after the key base) for a normalized query. */
export function queryArgs(q: NormalizedQuery, mode: "page" | "count"): string[] {
  const after = mode === "page" ? q.after : undefined;
  const args = [
    mode,
    q.orderBy,
    q.ascending ? "1" : "0",
    q.startMs === undefined ? "-inf" : String(q.startMs),
    q.endMs === undefined ? "+inf" : String(q.endMs),
    mode === "page" ? String(q.offset) : "0",
    mode === "page" && q.limit !== undefined ? String(q.limit) : "",
    after === undefined ? "" : "1",
    after === undefined ? "" : String(after[0]),
    after === undefined ? "" : String(after[1]),
    after === undefined ? "" : after[2],
    q.dataAsset === undefined ? "" : "1",
    q.dataAsset ?? "",
    q.status === undefined ? "" : "1",
    q.status ?? "",
  ];
  for (const [key, value] of Object.entries(q.tags)) args.push(key, value);
  return args;
}

function parseTags(text: unknown, id: string): Record<string, string> {
  try {
    return JSON.parse(String(text)) as Record<string, string>;
  } catch (cause) {
    throw new StoreIntegrityError(
      `redis: the index record of ${JSON.stringify(id)} is corrupt; run rebuildIndex()`,
      {
        backend: BACKEND,
        id,
        cause,
      },
    );
  }
}

/** Turns the query script's page reply into index entries and the next cursor. */
export function parsePageReply(reply: unknown, q: NormalizedQuery): QueryPage {
  const values = reply as Array<string | number | null>;
  const more = values[0] === 1;
  const entries: IndexEntry[] = [];
  for (let i = 1; i + 5 <= values.length; i += 5) {
    const [id, dataAsset, status, time, tags] = values.slice(i, i + 5);
    if (
      typeof id !== "string" ||
      typeof dataAsset !== "string" ||
      typeof status !== "string" ||
      typeof time !== "string"
    ) {
      throw new StoreIntegrityError(
        `redis: the index lists ${JSON.stringify(String(id))} but its index record is missing; run rebuildIndex()`,
        { backend: BACKEND, id: String(id) },
      );
    }
    entries.push({
      id,
      dataAsset,
      status,
      runTimeMs: Number(time),
      tags: parseTags(tags, id),
    });
  }
  const last = entries[entries.length - 1];
  const nextCursor =
    more && last !== undefined ? encodeCursor(sortKeyOf(last, q.orderBy), q.orderBy, q.ascending) : undefined;
  return { entries, nextCursor };
}
