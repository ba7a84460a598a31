import type { Store, ValidationResult } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";

export interface CountingStore {
  store: Store<ValidationResult>;
  inner: MemoryStore;
  calls: Record<string, number>;
  /** While set, the results of these methods are held back until `release()`. */
  hold(method: string): void;
  release(): void;
  /** Makes calls of `method` throw `error` until `heal()`. */
  fail(method: string, error: Error): void;
  heal(): void;
}

/** A real MemoryStore behind a proxy that counts calls and can hold or fail them. */
export function countingStore(): CountingStore {
  const inner = new MemoryStore();
  const calls: Record<string, number> = {};
  const held = new Set<string>();
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const failures = new Map<string, Error>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        const failure = failures.get(property);
        if (failure) return Promise.reject(failure);
        if (held.has(property) && gate) {
          // The call runs now; its result is delivered when released (a slow response, not a slow request).
          const result = Promise.resolve(value.apply(target, args));
          const waiting = gate.promise;
          return waiting.then(() => result);
        }
        return value.apply(target, args);
      };
    },
  }) as unknown as Store<ValidationResult>;
  return {
    store,
    inner,
    calls,
    hold(method) {
      held.add(method);
      if (!gate) {
        let open = () => {};
        const promise = new Promise<void>((resolve) => {
          open = resolve;
        });
        gate = { promise, open };
      }
    },
    release() {
      held.clear();
      gate?.open();
      gate = undefined;
    },
    fail(method, error) {
      failures.set(method, error);
    },
    heal() {
      failures.clear();
    },
  };
}
