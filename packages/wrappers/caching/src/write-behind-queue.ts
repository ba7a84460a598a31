import {
  type Scheduler,
  type Store,
  StoreError,
  type TimerHandle,
  toStoreError,
} from "@truthound/store-core";

export interface PendingWrite<T> {
  item: T;
  json: string;
}

export interface WriteBehindSettings<T> {
  store: Store<T>;
  scheduler: Scheduler;
  intervalMs: number;
  maxPending: number;
  concurrency: number;
  /** Called after each successful write of a queued item, with the etag the store returned. */
  written(id: string, write: PendingWrite<T>, etag: string): Promise<void>;
  /** Called with the error of a background flush (explicit `flush()` calls reject instead). */
  onFlushError: ((error: StoreError) => void) | undefined;
}

export interface FlushFailure {
  id: string;
  error: StoreError;
}

/**
 * The queue of `WRITE_BEHIND` saves. One entry per id (a newer save replaces an older queued one); flushes
 * run one at a time, so two writes of one id never race; an entry leaves the queue only once the store has
 * it, so a failed write stays queued and is retried by the next flush.
 */
export class WriteBehindQueue<T> {
  readonly #s: WriteBehindSettings<T>;
  readonly #pending = new Map<string, PendingWrite<T>>();
  readonly #inFlight = new Map<string, Promise<unknown>>();
  #chain: Promise<void> = Promise.resolve();
  #timer: TimerHandle | undefined;
  flushedWrites = 0;
  flushErrors = 0;
  lastFlushError: StoreError | undefined;

  constructor(settings: WriteBehindSettings<T>) {
    this.#s = settings;
  }

  get size(): number {
    return this.#pending.size;
  }

  peek(id: string): PendingWrite<T> | undefined {
    return this.#pending.get(id);
  }

  /** Queues a write; waits for a flush when the queue is full (backpressure, nothing is dropped). */
  async enqueue(id: string, write: PendingWrite<T>): Promise<void> {
    this.#pending.set(id, write);
    if (this.#pending.size >= this.#s.maxPending) {
      await this.flush();
      return;
    }
    this.#timer ??= this.#s.scheduler.setTimeout(() => this.#backgroundFlush(), this.#s.intervalMs);
  }

  /** Takes an id out of the queue and waits for a write of it already under way; true if one was queued. */
  async withdraw(id: string): Promise<boolean> {
    const had = this.#pending.delete(id);
    await this.#inFlight.get(id)?.catch(() => undefined);
    return had;
  }

  /** Writes the queued version of one id now (used before conditional saves and etag reads). */
  async flushId(id: string): Promise<void> {
    if (!this.#pending.has(id) && !this.#inFlight.has(id)) return;
    const run = this.#chain.then(() => this.#flushOnce(id));
    this.#chain = run.catch(() => undefined);
    await run;
  }

  #backgroundFlush(): void {
    this.#timer = undefined;
    this.flush().catch((error: unknown) => {
      this.#s.onFlushError?.(error as StoreError);
    });
  }

  /** Writes everything queued; rejects with a `WRITE` error listing every item that could not be written. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushOnce());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #flushOnce(only?: string): Promise<void> {
    let batch: [string, PendingWrite<T>][];
    if (only === undefined) {
      this.#timer?.cancel();
      this.#timer = undefined;
      batch = [...this.#pending];
    } else {
      const write = this.#pending.get(only);
      batch = write === undefined ? [] : [[only, write]];
    }
    if (batch.length === 0) return;
    const failures: FlushFailure[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const [id, write] = batch[next++] as [string, PendingWrite<T>];
        if (this.#pending.get(id) !== write) continue;
        const attempt = this.#s.store.saveWithEtag(write.item);
        this.#inFlight.set(id, attempt);
        try {
          const { etag } = await attempt;
          this.flushedWrites++;
          if (this.#pending.get(id) === write) this.#pending.delete(id);
          await this.#s.written(id, write, etag);
        } catch (error) {
          failures.push({
            id,
            error: toStoreError(error, "WRITE", `write-behind save of ${id} failed`, { id }),
          });
        } finally {
          this.#inFlight.delete(id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#s.concurrency, batch.length) }, worker));
    if (failures.length > 0) {
      this.flushErrors++;
      const first = failures[0] as FlushFailure;
      const error = new StoreError(
        `write-behind flush: ${failures.length} of ${batch.length} queued writes failed (first: ${first.id}: ${first.error.message}); they stay queued`,
        {
          code: "WRITE",
          retryable: failures.every((f) => f.error.retryable),
          cause: first.error,
          details: { failures },
        },
      );
      this.lastFlushError = error;
      if (this.#pending.size > 0) {
        this.#timer ??= this.#s.scheduler.setTimeout(() => this.#backgroundFlush(), this.#s.intervalMs);
      }
      throw error;
    }
  }

  /** The items still queued (after a failed final flush, so the caller can keep them). */
  unwritten(): PendingWrite<T>[] {
    return [...this.#pending.values()];
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
