import type { KeyAlgorithm } from "./algorithms.js";

/** One version of a key. Retiring a version drops its material for good; the version number is never reused. */
export interface KeyVersionRecord {
  version: number;
  algorithm: KeyAlgorithm;
  /** Epoch milliseconds from the manager's clock. */
  createdAt: number;
  /** After this instant the version may not encrypt new data; it still decrypts until retired. */
  expiresAt?: number;
  retiredAt?: number;
  /** Absent once the version is retired. */
  key?: Uint8Array;
}

/** Everything a key store keeps about one key id. */
export interface KeyRecord {
  keyId: string;
  /** Grows by one with every stored change; stores refuse an update based on a stale revision. */
  revision: number;
  /** Ascending by version. */
  versions: KeyVersionRecord[];
}

/** A deep copy, so neither the store nor its caller can change the other's key bytes. */
export function cloneRecord(record: KeyRecord): KeyRecord {
  return {
    keyId: record.keyId,
    revision: record.revision,
    versions: record.versions.map((v) => ({ ...v, ...(v.key ? { key: Uint8Array.from(v.key) } : {}) })),
  };
}

/** Overwrites the key bytes in memory. JavaScript may hold other copies; this clears the ones we own. */
export function wipeRecord(record: KeyRecord): void {
  for (const version of record.versions) version.key?.fill(0);
}
