import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CircuitBreaker,
  type CircuitState,
  isStoreError,
  ManualClock,
  retryDelay,
  StoreConnectionError,
  StoreError,
  withDeadline,
  withRetry,
} from "../src/index.js";

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Drives a ManualClock until `promise` settles, without real waiting. */
async function settleWithClock<T>(
  promise: Promise<T>,
  clock: ManualClock,
  stepMs: number,
): Promise<PromiseSettledResult<T>> {
  let outcome: PromiseSettledResult<T> | undefined;
  promise.then(
    (value) => {
      outcome = { status: "fulfilled", value };
    },
    (reason) => {
      outcome = { status: "rejected", reason };
    },
  );
  for (let i = 0; i < 1000 && outcome === undefined; i++) {
    await flush();
    if (outcome === undefined) await clock.advance(stepMs);
  }
  await flush();
  if (outcome === undefined) throw new Error("promise never settled");
  return outcome;
}

const retryable = () => new StoreConnectionError("db", "reset");
const permanent = () => new StoreError("bad", { code: "INVALID_ARGUMENT" });

describe("retryDelay", () => {
  it("grows exponentially, is capped, and jitters within its mode's range", () => {
    const none = (attempt: number) =>
      retryDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1000, jitter: "none" });
    expect([1, 2, 3, 4, 5].map(none)).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelay(3, { baseDelayMs: 100, factor: 3, jitter: "none" })).toBe(900);
    expect(retryDelay(3, { baseDelayMs: 100, jitter: "full", random: () => 0.5 })).toBe(200);
    expect(retryDelay(3, { baseDelayMs: 100, jitter: "full", random: () => 0 })).toBe(0);
    expect(retryDelay(3, { baseDelayMs: 100, jitter: "equal", random: () => 0 })).toBe(200);
    expect(retryDelay(3, { baseDelayMs: 100, jitter: "equal", random: () => 0.999 })).toBeCloseTo(399.8);
  });
});

describe("withRetry", () => {
  it("retries retryable failures with backoff on the injected scheduler, then succeeds", async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    let attempts = 0;
    const outcome = await settleWithClock(
      withRetry(
        async () => {
          if (++attempts < 3) throw retryable();
          return "ok";
        },
        {
          scheduler: clock,
          jitter: "none",
          baseDelayMs: 100,
          onRetry: (_e, _a, delay) => delays.push(delay),
        },
      ),
      clock,
      50,
    );
    expect(outcome).toEqual({ status: "fulfilled", value: "ok" });
    expect(attempts).toBe(3);
    expect(delays).toEqual([100, 200]);
    expect(clock.now()).toBeGreaterThanOrEqual(300);
  });

  it("does not retry a non-retryable error", async () => {
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          throw permanent();
        },
        { scheduler: new ManualClock() },
      ),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(attempts).toBe(1);
  });

  it("gives up after `retries` retries with the last error", async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const outcome = await settleWithClock(
      withRetry(
        async () => {
          attempts++;
          throw retryable();
        },
        { scheduler: clock, retries: 2, jitter: "none", baseDelayMs: 10 },
      ),
      clock,
      10,
    );
    expect(outcome.status).toBe("rejected");
    expect(isStoreError((outcome as PromiseRejectedResult).reason, "CONNECTION")).toBe(true);
    expect(attempts).toBe(3);
  });

  it("stops waiting with ABORTED when the signal aborts during backoff", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let attempts = 0;
    const promise = withRetry(
      async () => {
        attempts++;
        throw retryable();
      },
      { scheduler: clock, signal: controller.signal, baseDelayMs: 1000, jitter: "none" },
    );
    await flush();
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: "ABORTED" });
    expect(attempts).toBe(1);
  });

  it("uses a custom isRetryable", async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const outcome = await settleWithClock(
      withRetry(
        async () => {
          if (++attempts < 2) throw new Error("plain");
          return attempts;
        },
        { scheduler: clock, isRetryable: (e) => e instanceof Error, jitter: "none", baseDelayMs: 5 },
      ),
      clock,
      5,
    );
    expect(outcome).toEqual({ status: "fulfilled", value: 2 });
  });
});

describe("CircuitBreaker", () => {
  const fail = () => Promise.reject(retryable());
  const succeed = () => Promise.resolve("ok");

  function breaker(clock: ManualClock, extra: ConstructorParameters<typeof CircuitBreaker>[0] = {}) {
    const transitions: Array<[CircuitState, CircuitState]> = [];
    const cb = new CircuitBreaker({
      clock,
      failureThreshold: 3,
      resetTimeoutMs: 1000,
      onStateChange: (from, to) => transitions.push([from, to]),
      ...extra,
    });
    return { cb, transitions };
  }

  it("opens after N consecutive failures and then rejects without calling", async () => {
    const clock = new ManualClock();
    const { cb } = breaker(clock);
    await expect(cb.execute(fail)).rejects.toBeDefined();
    await expect(cb.execute(fail)).rejects.toBeDefined();
    await cb.execute(succeed);
    await expect(cb.execute(fail)).rejects.toBeDefined();
    await expect(cb.execute(fail)).rejects.toBeDefined();
    expect(cb.state).toBe("closed");
    await expect(cb.execute(fail)).rejects.toBeDefined();
    expect(cb.state).toBe("open");
    const op = vi.fn(succeed);
    const error = await cb.execute(op).catch((e: unknown) => e);
    expect(isStoreError(error, "CONNECTION")).toBe(true);
    expect((error as StoreError).retryable).toBe(true);
    expect(op).not.toHaveBeenCalled();
  });

  it("goes half-open after the reset timeout; a successful probe closes it", async () => {
    const clock = new ManualClock();
    const { cb, transitions } = breaker(clock);
    for (let i = 0; i < 3; i++) await cb.execute(fail).catch(() => undefined);
    await clock.advance(999);
    expect(cb.state).toBe("open");
    await clock.advance(1);
    expect(cb.state).toBe("half-open");
    expect(await cb.execute(succeed)).toBe("ok");
    expect(cb.state).toBe("closed");
    expect(transitions).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });

  it("a failed probe re-opens it for another full timeout", async () => {
    const clock = new ManualClock();
    const { cb } = breaker(clock);
    for (let i = 0; i < 3; i++) await cb.execute(fail).catch(() => undefined);
    await clock.advance(1000);
    await expect(cb.execute(fail)).rejects.toBeDefined();
    expect(cb.state).toBe("open");
    await clock.advance(999);
    expect(cb.state).toBe("open");
    await clock.advance(1);
    expect(cb.state).toBe("half-open");
  });

  it("limits concurrent probes while half-open and needs successThreshold successes to close", async () => {
    const clock = new ManualClock();
    const { cb } = breaker(clock, { successThreshold: 2, halfOpenMaxCalls: 1 });
    for (let i = 0; i < 3; i++) await cb.execute(fail).catch(() => undefined);
    await clock.advance(1000);
    let release: (value: string) => void = () => undefined;
    const probe = cb.execute(() => new Promise<string>((resolve) => (release = resolve)));
    const rejected = await cb.execute(succeed).catch((e: unknown) => e);
    expect(isStoreError(rejected, "CONNECTION")).toBe(true);
    release("done");
    expect(await probe).toBe("done");
    expect(cb.state).toBe("half-open");
    await cb.execute(succeed);
    expect(cb.state).toBe("closed");
  });

  it("errors that isFailure rejects do not count", async () => {
    const clock = new ManualClock();
    const { cb } = breaker(clock, { isFailure: (e) => isStoreError(e, "CONNECTION") });
    for (let i = 0; i < 5; i++) await cb.execute(() => Promise.reject(permanent())).catch(() => undefined);
    expect(cb.state).toBe("closed");
  });
});

describe("withDeadline", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("rejects with TIMEOUT and aborts the work's signal when the deadline passes", async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const promise = withDeadline(
      (signal) => {
        seen = signal;
        return new Promise(() => undefined);
      },
      { timeoutMs: 50, operation: "test.op" },
    );
    const assertion = expect(promise).rejects.toMatchObject({ code: "TIMEOUT", retryable: true });
    vi.advanceTimersByTime(50);
    await assertion;
    expect(seen?.aborted).toBe(true);
  });

  it("rejects with ABORTED when the caller aborts, and immediately if already aborted", async () => {
    const controller = new AbortController();
    const promise = withDeadline(() => new Promise(() => undefined), { signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(promise).rejects.toMatchObject({ code: "ABORTED" });
    let called = false;
    await expect(
      withDeadline(
        async () => {
          called = true;
        },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: "ABORTED" });
    expect(called).toBe(false);
  });

  it("passes results and errors through, with no signal when neither option is given", async () => {
    await expect(
      withDeadline(async (signal) => {
        expect(signal).toBeUndefined();
        return 7;
      }, {}),
    ).resolves.toBe(7);
    await expect(withDeadline(async () => 8, { timeoutMs: 10_000 })).resolves.toBe(8);
    await expect(
      withDeadline(() => Promise.reject(permanent()), { timeoutMs: 10_000 }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});

describe("ManualClock", () => {
  it("fires due timers in time order and honours cancel", async () => {
    const clock = new ManualClock(new Date(1000));
    const fired: string[] = [];
    clock.setTimeout(() => fired.push("b"), 20);
    clock.setTimeout(() => fired.push("a"), 10);
    const cancelled = clock.setTimeout(() => fired.push("x"), 15);
    cancelled.cancel();
    await clock.advance(15);
    expect(fired).toEqual(["a"]);
    await clock.advance(5);
    expect(fired).toEqual(["a", "b"]);
    expect(clock.now()).toBe(1020);
    expect(clock.pendingTimers).toBe(0);
  });
});
