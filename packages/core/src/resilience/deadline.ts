import { StoreAbortedError, StoreTimeoutError } from "../errors.js";

export interface DeadlineOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  operation?: string;
}

/**
 * Runs `work` with a signal that aborts on the caller's signal or after `timeoutMs`. Rejects with ABORTED or
 * TIMEOUT as soon as either fires, even if `work` ignores its signal. Costs nothing when neither is given.
 */
export function withDeadline<T>(
  work: (signal: AbortSignal | undefined) => Promise<T>,
  options: DeadlineOptions,
): Promise<T> {
  const { signal, timeoutMs } = options;
  if (signal === undefined && timeoutMs === undefined) return work(undefined);
  const what = options.operation ?? "operation";
  if (signal?.aborted)
    return Promise.reject(new StoreAbortedError(`${what} aborted`, { cause: signal.reason }));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      cleanup();
      controller.abort(signal?.reason);
      reject(new StoreAbortedError(`${what} aborted`, { cause: signal?.reason }));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        const error = new StoreTimeoutError(`${what} timed out after ${timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
    work(controller.signal).then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error) => {
        cleanup();
        reject(error);
      },
    );
  });
}
