import { randomBytes } from "node:crypto";
import {
  decodeIdSegment,
  encodeIdSegment,
  type IndexEntry,
  isPlainObject,
  StoreIntegrityError,
} from "@truthound/store-core";
import { type DocumentFormat, HASHED_STEM_PREFIX, MAX_SEGMENT_BYTES, sha256Hex } from "./key-layout.js";

/**
 * One index marker per document, named `{asset}/{time}!{status}!{token}!{format}!{id}!{tags}` under the
 * markers prefix, so a listing answers queries without reading any object:
 * - `asset`: `a` + the encoded data asset (or `h` + its SHA-256 when too long): one key prefix per asset;
 * - `time`: 14 hex digits of the *inverted* run time, so a listing runs newest first;
 * - `token`: random per save, also stored in the document's metadata: a marker is current only while the
 *   document carries its token, so stale markers are recognised and removed, never trusted twice;
 * - `format`: the document's extension (`j`, `g`, `t`), so the document key follows from the marker;
 * - `id` and `tags`: encoded with `encodeIdSegment` (`tags` as `k*v` pairs joined by `,`).
 * When the name would pass the segment limit, `id` is `%h-{sha256}` and the marker's body holds the entry.
 */
export interface Marker {
  /** Name relative to the markers prefix. */
  name: string;
  token: string;
  format: DocumentFormat;
  /** Undefined for overflow markers until their body is read. */
  entry: IndexEntry | undefined;
  /** The id, or its hash for overflow markers. */
  idField: string;
}

const TIME_OFFSET = 2n ** 53n;
const TIME_MAX = 2n ** 54n - 1n;
const TIME_DIGITS = 14;
const TIME_PATTERN = /^[0-9a-f]{14}$/;
const FORMAT_CODES: Record<DocumentFormat, string> = { json: "j", gzip: "g", codec: "t" };
const CODE_FORMATS: Record<string, DocumentFormat> = { j: "json", g: "gzip", t: "codec" };

export function newToken(): string {
  return randomBytes(8).toString("hex");
}

/** Token of a document written without one (by Truthound-py or another tool): derived from its etag. */
export function etagToken(etag: string): string {
  return `e${sha256Hex(etag).slice(0, 15)}`;
}

/** Inverted, fixed-width run time: ascending key order is descending time. */
export function invertedTime(runTimeMs: number): string {
  const value = TIME_MAX - (BigInt(Math.trunc(runTimeMs)) + TIME_OFFSET);
  return value.toString(16).padStart(TIME_DIGITS, "0");
}

function timeOfInverted(hex: string): number {
  return Number(TIME_MAX - BigInt(`0x${hex}`) - TIME_OFFSET);
}

export function assetSegment(dataAsset: string): string {
  const encoded = `a${encodeIdSegment(dataAsset)}`;
  return Buffer.byteLength(encoded) <= MAX_SEGMENT_BYTES ? encoded : `h${sha256Hex(dataAsset)}`;
}

function encodeTags(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${encodeIdSegment(k)}*${encodeIdSegment(tags[k] as string)}`)
    .join(",");
}

function decodeTags(field: string): Record<string, string> {
  const tags: Record<string, string> = {};
  if (field === "") return tags;
  for (const pair of field.split(",")) {
    const [k, v, extra] = pair.split("*");
    if (k === undefined || v === undefined || extra !== undefined) throw new Error(`bad tag pair ${pair}`);
    tags[k === "" ? "" : decodeIdSegment(k)] = v === "" ? "" : decodeIdSegment(v);
  }
  return tags;
}

export interface BuiltMarker {
  name: string;
  /** Body to store: the entry as JSON for overflow markers, empty otherwise. */
  body: Uint8Array;
}

export function buildMarker(entry: IndexEntry, token: string, format: DocumentFormat): BuiltMarker {
  const asset = assetSegment(entry.dataAsset);
  const head = `${invertedTime(entry.runTimeMs)}!${encodeIdSegment(entry.status)}!${token}!${FORMAT_CODES[format]}`;
  const full = `${head}!${encodeIdSegment(entry.id)}!${encodeTags(entry.tags)}`;
  if (asset.startsWith("a") && Buffer.byteLength(full) <= MAX_SEGMENT_BYTES) {
    return { name: `${asset}/${full}`, body: new Uint8Array(0) };
  }
  const body = Buffer.from(JSON.stringify(entry), "utf8");
  return {
    name: `${asset}/${head}!${HASHED_STEM_PREFIX}${sha256Hex(entry.id)}!`,
    body: new Uint8Array(body),
  };
}

/** Parses a marker name; throws `INTEGRITY` for names this version did not write. */
export function parseMarker(name: string): Marker & { runTimeMs: number; assetField: string } {
  const fail = (why: string): never => {
    throw new StoreIntegrityError(`Unreadable index marker ${JSON.stringify(name)}: ${why}`);
  };
  const slash = name.indexOf("/");
  if (slash <= 0) fail("no asset segment");
  const assetField = name.slice(0, slash);
  const fields = name.slice(slash + 1).split("!");
  if (fields.length !== 6) fail("expected 6 fields");
  const [time, status, token, code, idField, tagsField] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!TIME_PATTERN.test(time)) fail("bad time");
  const format = CODE_FORMATS[code] ?? fail("bad format code");
  if (!/^[0-9a-z]{16}$/.test(token)) fail("bad token");
  const runTimeMs = timeOfInverted(time);
  if (idField.startsWith(HASHED_STEM_PREFIX)) {
    return { name, token, format, entry: undefined, idField, runTimeMs, assetField };
  }
  if (!assetField.startsWith("a")) fail("hashed asset without an entry body");
  try {
    const entry: IndexEntry = {
      id: decodeIdSegment(idField),
      dataAsset: assetField.length === 1 ? "" : decodeIdSegment(assetField.slice(1)),
      runTimeMs,
      status: status === "" ? "" : decodeIdSegment(status),
      tags: decodeTags(tagsField),
    };
    return { name, token, format, entry, idField: entry.id, runTimeMs, assetField };
  } catch (cause) {
    throw new StoreIntegrityError(`Unreadable index marker ${JSON.stringify(name)}`, { cause });
  }
}

/** The entry stored in an overflow marker's body. */
export function parseMarkerBody(name: string, bytes: Uint8Array): IndexEntry {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new StoreIntegrityError(`Index marker ${JSON.stringify(name)} has a corrupt body`, { cause });
  }
  const v = value as Partial<IndexEntry>;
  if (
    !isPlainObject(value) ||
    typeof v.id !== "string" ||
    typeof v.dataAsset !== "string" ||
    typeof v.runTimeMs !== "number" ||
    typeof v.status !== "string" ||
    !isPlainObject(v.tags)
  ) {
    throw new StoreIntegrityError(`Index marker ${JSON.stringify(name)} has a malformed body`);
  }
  return { id: v.id, dataAsset: v.dataAsset, runTimeMs: v.runTimeMs, status: v.status, tags: { ...v.tags } };
}
