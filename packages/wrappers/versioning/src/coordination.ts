import type { HeadState } from "./history.js";
import { KeyedMutex } from "./keyed-mutex.js";

/** The head this process last committed for an item and branch: a hint, checked by the next conditional write. */
export interface CachedHead {
  state: HeadState;
  /** The version the head carries as `previous` is known to be archived. */
  previousArchived: boolean;
}

const MAX_CACHED_HEADS = 10_000;

/** Per-item locks and head hints shared by every VersionedStore over one history store object. */
export class Coordination {
  readonly mutex = new KeyedMutex();
  readonly #heads = new Map<string, CachedHead>();

  get(key: string): CachedHead | undefined {
    return this.#heads.get(key);
  }

  remember(key: string, head: CachedHead): void {
    this.#heads.delete(key);
    this.#heads.set(key, head);
    if (this.#heads.size > MAX_CACHED_HEADS) {
      const oldest = this.#heads.keys().next().value;
      if (oldest !== undefined) this.#heads.delete(oldest);
    }
  }

  forget(key: string): void {
    this.#heads.delete(key);
  }
}

const registry = new WeakMap<object, Coordination>();

export function coordinationFor(historyStore: object): Coordination {
  let coordination = registry.get(historyStore);
  if (coordination === undefined) {
    coordination = new Coordination();
    registry.set(historyStore, coordination);
  }
  return coordination;
}
