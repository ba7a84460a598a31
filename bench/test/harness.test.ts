import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/cli.js";
import { compare, type Subject } from "../src/harness.js";

function recorder(name: string, order: string[], seen: number[]): Subject {
  return {
    name,
    op: (i) => {
      if (order[order.length - 1] !== name) order.push(name);
      seen.push(i);
    },
  };
}

describe("compare", () => {
  it("warms up, then runs every subject the same ops per sample, rotating who goes first", async () => {
    const order: string[] = [];
    const seenA: number[] = [];
    const seenB: number[] = [];
    const seenC: number[] = [];
    const events: string[] = [];
    const figures = await compare({
      candidate: {
        ...recorder("A", order, seenA),
        setup: async () => void events.push("setup A"),
        teardown: async () => void events.push("teardown A"),
      },
      baselines: [recorder("B", order, seenB), recorder("C", order, seenC)],
      samples: 3,
      opsPerSample: 4,
      warmupOps: 2,
    });
    // Warmup A, B, C; then samples rotate: ABC, BCA, CAB.
    expect(order).toEqual(["A", "B", "C", "A", "B", "C", "B", "C", "A", "C", "A", "B"]);
    for (const seen of [seenA, seenB, seenC])
      expect(seen).toEqual([0, 1, ...Array.from({ length: 12 }, (_, i) => i + 2)]);
    expect(events).toEqual(["setup A", "teardown A"]);
    expect(figures.candidate.name).toBe("A");
    expect(figures.baselines.map((b) => b.name)).toEqual(["B", "C"]);
    for (const b of figures.baselines) {
      expect(b.ratio.min).toBeLessThanOrEqual(b.ratio.median);
      expect(b.ratio.median).toBeLessThanOrEqual(b.ratio.max);
      expect(b.ratio.median).toBeGreaterThan(0);
    }
    expect(figures.candidate.latencyMs).toBeUndefined();
  });

  it("reports latencies when asked and tears down after a failure", async () => {
    const events: string[] = [];
    const figures = await compare({
      candidate: { name: "A", op: () => undefined },
      baselines: [{ name: "B", op: () => undefined }],
      samples: 2,
      opsPerSample: 3,
      warmupOps: 0,
      latencies: true,
    });
    expect(figures.candidate.latencyMs?.p50).toBeGreaterThanOrEqual(0);
    expect(figures.baselines[0]?.latencyMs?.p95).toBeGreaterThanOrEqual(0);
    await expect(
      compare({
        candidate: {
          name: "A",
          op: () => {
            throw new Error("boom");
          },
          teardown: async () => void events.push("teardown"),
        },
        baselines: [],
        samples: 1,
        opsPerSample: 1,
        warmupOps: 0,
      }),
    ).rejects.toThrow("boom");
    expect(events).toEqual(["teardown"]);
  });
});

describe("bench arguments", () => {
  it("defaults to 9 samples and accepts the documented options", () => {
    expect(parseArgs([])).toMatchObject({ samples: 9, quick: false, strict: false, suites: undefined });
    expect(parseArgs(["--", "--suite", "memory,filesystem-io", "--strict", "--samples", "11"])).toMatchObject(
      {
        samples: 11,
        strict: true,
        suites: ["memory", "filesystem-io"],
      },
    );
    expect(parseArgs(["--quick"]).samples).toBe(3);
  });

  it("refuses fewer than 7 samples outside --quick, and unknown options", () => {
    expect(() => parseArgs(["--samples", "5"])).toThrow(UsageError);
    expect(parseArgs(["--quick", "--samples", "2"]).samples).toBe(2);
    expect(() => parseArgs(["--fast"])).toThrow(UsageError);
    expect(() => parseArgs(["--samples"])).toThrow(UsageError);
  });
});
