import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<string>();

/** Runs `work` with a correlation id that every `ObservableStore` call inside it (also across awaits) records. */
export function withCorrelationId<R>(correlationId: string, work: () => R): R {
  if (typeof correlationId !== "string" || correlationId.length === 0) {
    throw new TypeError("withCorrelationId: correlationId must be a non-empty string");
  }
  return storage.run(correlationId, work);
}

/** The correlation id of the current async context, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}
