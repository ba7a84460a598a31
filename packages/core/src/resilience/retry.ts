import { type Scheduler, systemScheduler } from "../clock.js";
import { isStoreError } from "../errors.js";

export interface RetryOptions {
  /** Retries after the first attempt (so `retries: 3` makes up to 4 attempts). Default 3. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Multiplier per attempt. Default 2. */
  factor?: number;
  /** "full": uniform in [0, delay]; "equal": delay/2 + uniform in [0, delay/2]; "none". Default "full". */
  jitter?: "full" | "equal" | "none";
  /** Which errors to retry. Default: store errors marked `retryable`. */
  isRetryable?: (error: unknown) => boolean;
  signal?: AbortSignal;
  scheduler?: Scheduler;
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export function retryDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 30_000;
  const exponential = Math.min(max, base * (options.factor ?? 2) ** (attempt - 1));
  const random = options.random ?? Math.random;
  switch (options.jitter ?? "full") {
    case "none":
      return exponential;
    case "equal":
      return exponential / 2 + random() * (exponential / 2);
    default:
      return random() * exponential;
  }
}

/** Runs `operation`, retrying retryable failures with exponential backoff and jitter. Only for idempotent work. */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  const isRetryable = options.isRetryable ?? ((error: unknown) => isStoreError(error) && error.retryable);
  const scheduler = options.scheduler ?? systemScheduler;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > retries || !isRetryable(error)) throw error;
      const delay = retryDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await scheduler.sleep(delay, options.signal);
    }
  }
}
