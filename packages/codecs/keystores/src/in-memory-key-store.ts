import { compareCodePoints, InvalidArgumentError, validateId } from "@truthound/store-core";
import { cloneRecord, type KeyRecord, wipeRecord } from "./key-record.js";
import type { KeyStore } from "./key-store.js";
import { keyExists, keyNotFound, staleRevision } from "./store-errors.js";

/** Keys in process memory only: for tests and short-lived processes. Deleting a key zero-fills its bytes. */
export class InMemoryKeyStore implements KeyStore {
  readonly name = "InMemoryKeyStore";
  readonly readOnly = false;
  readonly #records = new Map<string, KeyRecord>();

  async get(keyId: string): Promise<KeyRecord> {
    const record = this.#records.get(validateId(keyId, "keyId"));
    if (!record) throw keyNotFound(this.name, keyId);
    return cloneRecord(record);
  }

  async create(record: KeyRecord): Promise<void> {
    validateId(record.keyId, "keyId");
    if (record.revision !== 1)
      throw new InvalidArgumentError(`${this.name}: a new key record has revision 1`);
    if (this.#records.has(record.keyId)) throw keyExists(this.name, record.keyId);
    this.#records.set(record.keyId, cloneRecord(record));
  }

  async update(record: KeyRecord): Promise<void> {
    const stored = this.#records.get(validateId(record.keyId, "keyId"));
    if (!stored) throw keyNotFound(this.name, record.keyId);
    if (stored.revision !== record.revision - 1) throw staleRevision(this.name, record, stored.revision);
    this.#records.set(record.keyId, cloneRecord(record));
    wipeRecord(stored);
  }

  async delete(keyId: string): Promise<void> {
    const stored = this.#records.get(validateId(keyId, "keyId"));
    if (!stored) throw keyNotFound(this.name, keyId);
    this.#records.delete(keyId);
    wipeRecord(stored);
  }

  async list(): Promise<string[]> {
    return [...this.#records.keys()].sort(compareCodePoints);
  }
}
