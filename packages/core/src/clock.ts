import { StoreAbortedError } from "./errors.js";

/** Source of the current time, injected so TTL, retention and tiering are testable. */
export interface Clock {
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

/** Runs callbacks later, on the clock it belongs to. */
export interface Scheduler {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

function abortError(signal: AbortSignal): StoreAbortedError {
  return new StoreAbortedError("Operation aborted", { cause: signal.reason });
}

export const systemScheduler: Scheduler = {
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
  sleep(delayMs, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, delayMs);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/** A clock and scheduler that move only when told to: `advance(ms)` fires due timers in order. */
export class ManualClock implements Clock, Scheduler {
  #now: number;
  #seq = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start: number | Date = 0) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), callback });
    return { cancel: () => this.#timers.delete(id) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const handle = this.setTimeout(resolve, delayMs);
      signal?.addEventListener(
        "abort",
        () => {
          handle.cancel();
          reject(abortError(signal));
        },
        { once: true },
      );
    });
  }

  /** Moves time forward, firing every timer that falls due, earliest first. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number; callback: () => void } | undefined;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= target && (next === undefined || timer.at < next.at)) {
          nextId = id;
          next = timer;
        }
      }
      if (next === undefined || nextId === undefined) break;
      this.#timers.delete(nextId);
      this.#now = next.at;
      next.callback();
      await Promise.resolve();
    }
    this.#now = target;
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }
}
