/**
 * In-process mutual exclusion per key. Waiters queue behind the holder instead of polling a lock file, and a
 * holder can keep the key after giving up its cross-process lock, to finish its own log records in order.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** The key at once when nobody holds it; undefined otherwise. */
  tryAcquire(key: string): (() => void) | undefined {
    return this.#tails.has(key) ? undefined : this.#enqueue(key, undefined);
  }

  /** Resolves once `key` is ours; the returned function passes it on (call it exactly once). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key);
    const release = this.#enqueue(key, previous);
    await previous;
    return release;
  }

  #enqueue(key: string, previous: Promise<void> | undefined): () => void {
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous === undefined ? done : previous.then(() => done);
    this.#tails.set(key, tail);
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}
