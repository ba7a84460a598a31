import {
  type IndexEntry,
  type ItemAdapter,
  isPlainObject,
  StoreIntegrityError,
  StoreSerializationError,
} from "@truthound/store-core";
import type { ItemMetadata } from "./policies/policy.js";

/** One ledger record per item: its index entry and its size, written by `RetentionStore.save`. */
export interface LedgerRecord extends ItemMetadata {
  kind: "retention-entry";
  /** ISO 8601 time the record was written. */
  recordedAt: string;
}

function fail(why: string): never {
  throw new StoreIntegrityError(`Unreadable retention ledger record: ${why}`);
}

export function parseLedgerRecord(document: unknown): LedgerRecord {
  if (!isPlainObject(document)) throw new StoreSerializationError("Retention ledger record is not an object");
  const d = document;
  if (d.kind !== "retention-entry") fail(`unknown kind ${JSON.stringify(d.kind)}`);
  for (const key of ["id", "dataAsset", "status", "recordedAt"])
    if (typeof d[key] !== "string") fail(`${key} must be a string`);
  if (typeof d.runTimeMs !== "number" || !Number.isFinite(d.runTimeMs)) fail("runTimeMs must be a number");
  if (!Number.isSafeInteger(d.sizeBytes) || (d.sizeBytes as number) < 0) fail("sizeBytes must be a size");
  if (!isPlainObject(d.tags) || !Object.values(d.tags).every((v) => typeof v === "string")) fail("bad tags");
  return d as unknown as LedgerRecord;
}

/**
 * The item adapter of a ledger store: pass it as `adapter` to any backend. Its index entry is the item's own, so
 * the ledger answers the same queries as the wrapped store.
 */
export const ledgerRecordAdapter: ItemAdapter<LedgerRecord> = {
  itemType: "RetentionLedgerRecord",
  idOf: (record) => record.id,
  toDocument: (record) => record as unknown as Record<string, unknown>,
  fromDocument: parseLedgerRecord,
  entryOf: (record): IndexEntry => ({
    id: record.id,
    dataAsset: record.dataAsset,
    runTimeMs: record.runTimeMs,
    status: record.status,
    tags: { ...record.tags },
  }),
  clone: (record) => JSON.parse(JSON.stringify(record)) as LedgerRecord,
};

export function ledgerRecordOf(entry: IndexEntry, sizeBytes: number, nowMs: number): LedgerRecord {
  return {
    kind: "retention-entry",
    id: entry.id,
    dataAsset: entry.dataAsset,
    runTimeMs: entry.runTimeMs,
    status: entry.status,
    tags: { ...entry.tags },
    sizeBytes,
    recordedAt: new Date(nowMs).toISOString(),
  };
}
