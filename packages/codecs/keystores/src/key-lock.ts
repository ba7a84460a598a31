import type { KeyStore } from "./key-store.js";

// One queue per (store, key id), shared by every KeyManager over the same store object, so read-modify-write
// sequences on one key never interleave within a process.
const queues = new WeakMap<KeyStore, Map<string, Promise<unknown>>>();

export async function withKeyLock<T>(store: KeyStore, keyId: string, work: () => Promise<T>): Promise<T> {
  let byKey = queues.get(store);
  if (!byKey) {
    byKey = new Map();
    queues.set(store, byKey);
  }
  const previous = byKey.get(keyId) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(keyId, tail);
  try {
    return await run;
  } finally {
    if (byKey.get(keyId) === tail) byKey.delete(keyId);
  }
}
