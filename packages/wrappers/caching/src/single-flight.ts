/** Concurrent calls for one key share a single in-flight promise. */
export class SingleFlight<R> {
  readonly #inFlight = new Map<string, Promise<R>>();

  run(key: string, work: () => Promise<R>): Promise<R> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    const promise = work().finally(() => {
      if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, promise);
    return promise;
  }

  has(key: string): boolean {
    return this.#inFlight.has(key);
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
