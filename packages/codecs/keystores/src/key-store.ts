import type { KeyRecord } from "./key-record.js";

/**
 * Where a `KeyManager` keeps key records. Records go in and come out as deep copies.
 * Errors: NOT_FOUND for an unknown key id, ALREADY_EXISTS from `create`, CONFLICT from `update` when the
 * stored revision is not `record.revision - 1`, UNSUPPORTED for writes to a read-only store,
 * INTEGRITY for stored data that fails authentication or does not parse.
 */
export interface KeyStore {
  /** A short name for messages, e.g. "FileKeyStore(/var/keys)". */
  readonly name: string;
  readonly readOnly: boolean;
  get(keyId: string): Promise<KeyRecord>;
  /** Stores a new key id; `record.revision` must be 1. */
  create(record: KeyRecord): Promise<void>;
  /** Replaces a key's record; `record.revision` must be exactly one more than the stored revision. */
  update(record: KeyRecord): Promise<void>;
  delete(keyId: string): Promise<void>;
  /** Key ids in code-point order. */
  list(): Promise<string[]>;
}
