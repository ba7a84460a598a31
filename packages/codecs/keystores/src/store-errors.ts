import {
  StoreAlreadyExistsError,
  StoreConflictError,
  StoreNotFoundError,
  UnsupportedOperationError,
} from "@truthound/store-core";
import type { KeyRecord } from "./key-record.js";

export function keyNotFound(store: string, keyId: string): StoreNotFoundError {
  return new StoreNotFoundError(keyId, { itemType: "Key", backend: store });
}

export function keyExists(store: string, keyId: string): StoreAlreadyExistsError {
  return new StoreAlreadyExistsError(`${store}: key ${JSON.stringify(keyId)} already exists`, {
    id: keyId,
    backend: store,
  });
}

export function staleRevision(store: string, record: KeyRecord, stored: number): StoreConflictError {
  return new StoreConflictError(
    `${store}: key ${JSON.stringify(record.keyId)} changed concurrently (stored revision ${stored}, update expected ${record.revision - 1})`,
    { id: record.keyId, backend: store, retryable: true },
  );
}

export function readOnly(store: string, operation: string): UnsupportedOperationError {
  return new UnsupportedOperationError(`${store} is read-only: ${operation} is not possible`, {
    backend: store,
  });
}
