import { createHash } from "node:crypto";
import {
  type IndexEntry,
  type ItemAdapter,
  isPlainObject,
  StoreIntegrityError,
  StoreSerializationError,
} from "@truthound/store-core";
import type { ChecksumAlgorithm } from "./hashing.js";

/** What the history knows about one version (no content). */
export interface VersionFields {
  itemId: string;
  branch: string;
  /** Position on the branch: 1, 2, 3... (a branch continues its fork point's numbering). */
  number: number;
  /** The label the mode gives it: `v3`, `1.2.0`, an ISO time, or a short hash. */
  version: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  createdBy?: string;
  message?: string;
  parentVersion?: string;
  metadata: Record<string, unknown>;
  checksum: string;
  checksumAlgorithm: ChecksumAlgorithm;
  /** SHA-256 of the content's JSON text: the blob holding the content. */
  contentHash: string;
  sizeBytes: number;
  rollbackFrom?: string;
  mergedFrom?: { branch: string; version: string };
}

/** An archived (superseded) version: its content lives in the blob `contentHash`. */
export interface VersionRecord extends VersionFields {
  kind: "version";
}

/** A version not yet known to be archived, carried by the head that replaced it until it is. */
export interface PendingVersion {
  fields: VersionFields;
  content: string;
}

/** The latest version of a branch, with its content inline; the commit point of every save (conditional write). */
export interface HeadRecord extends VersionFields {
  kind: "head";
  /** The document as JSON text: hashed and stored as it is, never re-serialized. */
  content: string;
  /** The version this head replaced; whoever commits the next head makes sure it is archived first. */
  previous?: PendingVersion;
  /** The item was deleted from the current store; the history stays. */
  deleted: boolean;
  /** Where a branch other than the main one started. */
  forkedFrom?: { branch: string; version: string; number: number };
  /** With `maxVersions`: content hashes of the versions still kept, by number, so pruning knows which blobs to keep. */
  retained?: Record<string, string>;
}

/** One distinct content of one item's branch, stored once however many versions have it. */
export interface BlobRecord {
  kind: "blob";
  itemId: string;
  branch: string;
  contentHash: string;
  /** The document as JSON text. */
  content: string;
}

export type HistoryRecord = VersionRecord | HeadRecord | BlobRecord;

/** History record ids use a fixed-length digest of the item id, so any valid item id fits every backend. */
export function itemKey(itemId: string): string {
  return createHash("sha256").update(itemId, "utf8").digest("hex").slice(0, 32);
}

export function headId(itemId: string, branch: string): string {
  return `h/${itemKey(itemId)}/${branch}`;
}

export function versionRecordId(itemId: string, branch: string, number: number): string {
  return `v/${itemKey(itemId)}/${branch}/${String(number).padStart(12, "0")}`;
}

export function blobId(itemId: string, branch: string, contentHash: string): string {
  return `b/${itemKey(itemId)}/${branch}/${contentHash}`;
}

export function historyRecordId(record: HistoryRecord): string {
  switch (record.kind) {
    case "head":
      return headId(record.itemId, record.branch);
    case "version":
      return versionRecordId(record.itemId, record.branch, record.number);
    case "blob":
      return blobId(record.itemId, record.branch, record.contentHash);
  }
}

function fail(why: string): never {
  throw new StoreIntegrityError(`Unreadable version history record: ${why}`);
}

function checkFields(d: Record<string, unknown>): void {
  const strings = [
    "itemId",
    "branch",
    "version",
    "createdAt",
    "checksum",
    "checksumAlgorithm",
    "contentHash",
  ];
  for (const key of strings) if (typeof d[key] !== "string") fail(`${key} must be a string`);
  if (!Number.isSafeInteger(d.number) || (d.number as number) < 1) fail("number must be a positive integer");
  if (!Number.isSafeInteger(d.sizeBytes)) fail("sizeBytes must be an integer");
  if (!isPlainObject(d.metadata)) fail("metadata must be an object");
}

/** Reads a stored record, checking its shape: a damaged record is `INTEGRITY`, never a wrong answer. */
export function parseHistoryRecord(document: unknown): HistoryRecord {
  if (!isPlainObject(document)) throw new StoreSerializationError("Version history record is not an object");
  const kind = document.kind;
  if (kind === "blob") {
    if (
      typeof document.itemId !== "string" ||
      typeof document.branch !== "string" ||
      typeof document.contentHash !== "string"
    )
      fail("bad blob");
    if (typeof document.content !== "string") fail("blob content must be JSON text");
    return document as unknown as BlobRecord;
  }
  if (kind !== "version" && kind !== "head") fail(`unknown kind ${JSON.stringify(kind)}`);
  checkFields(document);
  if (kind === "head") {
    if (typeof document.content !== "string") fail("head content must be JSON text");
    if (typeof document.deleted !== "boolean") fail("head deleted flag must be a boolean");
  }
  return document as unknown as HistoryRecord;
}

function copy<R>(value: R): R {
  return JSON.parse(JSON.stringify(value)) as R;
}

/**
 * The item adapter of a history store: pass it as `adapter` to any backend (`new MemoryStore({ adapter:
 * historyRecordAdapter })`, `new FileSystemStore({ ..., adapter: historyRecordAdapter })`). Its index entry puts
 * the item id in `dataAsset` and the record kind, branch and label in `tags`, so versions are
 * found with ordinary store queries.
 */
export const historyRecordAdapter: ItemAdapter<HistoryRecord> = {
  itemType: "VersionHistoryRecord",
  idOf: historyRecordId,
  toDocument: (record) => record as unknown as Record<string, unknown>,
  fromDocument: parseHistoryRecord,
  entryOf: (record): IndexEntry => ({
    id: historyRecordId(record),
    dataAsset: record.itemId,
    runTimeMs: record.kind === "blob" ? 0 : Date.parse(record.createdAt),
    // StoreQuery only accepts result statuses, so the kind is a tag like the branch and the label.
    status: "success",
    tags:
      record.kind === "blob"
        ? { kind: record.kind, branch: record.branch }
        : { kind: record.kind, branch: record.branch, version: record.version },
  }),
  clone: copy,
};

/** The version fields of a head or record, without content or bookkeeping. */
export function fieldsOf(record: VersionRecord | HeadRecord): VersionFields {
  const fields: VersionFields = {
    itemId: record.itemId,
    branch: record.branch,
    number: record.number,
    version: record.version,
    createdAt: record.createdAt,
    metadata: record.metadata,
    checksum: record.checksum,
    checksumAlgorithm: record.checksumAlgorithm,
    contentHash: record.contentHash,
    sizeBytes: record.sizeBytes,
  };
  if (record.createdBy !== undefined) fields.createdBy = record.createdBy;
  if (record.message !== undefined) fields.message = record.message;
  if (record.parentVersion !== undefined) fields.parentVersion = record.parentVersion;
  if (record.rollbackFrom !== undefined) fields.rollbackFrom = record.rollbackFrom;
  if (record.mergedFrom !== undefined) fields.mergedFrom = record.mergedFrom;
  return fields;
}
