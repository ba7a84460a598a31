import { type Clock, systemClock } from "../clock.js";
import { StoreConnectionError } from "../errors.js";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Successes in half-open state that close it. Default 1. */
  successThreshold?: number;
  /** How long it stays open before letting a probe through. Default 30 s. */
  resetTimeoutMs?: number;
  /** Concurrent probes allowed while half-open. Default 1. */
  halfOpenMaxCalls?: number;
  /** Which failures count. Default: every error. */
  isFailure?: (error: unknown) => boolean;
  clock?: Clock;
  name?: string;
  onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

/** One circuit breaker for every backend: closed → open after N consecutive failures → half-open after a timeout. */
export class CircuitBreaker {
  #state: CircuitState = "closed";
  #failures = 0;
  #successes = 0;
  #openedAt = 0;
  #probes = 0;
  readonly #options: Required<Omit<CircuitBreakerOptions, "onStateChange">> &
    Pick<CircuitBreakerOptions, "onStateChange">;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#options = {
      failureThreshold: options.failureThreshold ?? 5,
      successThreshold: options.successThreshold ?? 1,
      resetTimeoutMs: options.resetTimeoutMs ?? 30_000,
      halfOpenMaxCalls: options.halfOpenMaxCalls ?? 1,
      isFailure: options.isFailure ?? (() => true),
      clock: options.clock ?? systemClock,
      name: options.name ?? "store",
      onStateChange: options.onStateChange,
    };
  }

  get state(): CircuitState {
    if (
      this.#state === "open" &&
      this.#options.clock.now() - this.#openedAt >= this.#options.resetTimeoutMs
    ) {
      this.#transition("half-open");
    }
    return this.#state;
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    if (to === "open") this.#openedAt = this.#options.clock.now();
    if (to !== "closed") this.#successes = 0;
    this.#probes = 0;
    if (to === "closed") this.#failures = 0;
    this.#options.onStateChange?.(from, to);
  }

  async execute<T>(operation: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.#probes >= this.#options.halfOpenMaxCalls)) {
      throw new StoreConnectionError(this.#options.name, "circuit breaker is open", {
        retryable: true,
        details: { circuit: state },
      });
    }
    if (state === "half-open") this.#probes++;
    try {
      const result = await operation();
      this.#onSuccess();
      return result;
    } catch (error) {
      if (this.#options.isFailure(error)) this.#onFailure();
      else this.#onSuccess();
      throw error;
    } finally {
      if (state === "half-open") this.#probes = Math.max(0, this.#probes - 1);
    }
  }

  #onSuccess(): void {
    if (this.#state === "half-open") {
      if (++this.#successes >= this.#options.successThreshold) this.#transition("closed");
    } else {
      this.#failures = 0;
    }
  }

  #onFailure(): void {
    if (this.#state === "half-open") {
      this.#transition("open");
      return;
    }
    if (++this.#failures >= this.#options.failureThreshold) this.#transition("open");
  }
}
