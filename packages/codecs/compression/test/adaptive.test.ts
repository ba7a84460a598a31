import { expectStoreError } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { choose } from "../src/adaptive.js";
import {
  AdaptiveCompressor,
  type CandidateMeasurement,
  CompressionGoal,
  decompressFrame,
  readFrame,
} from "../src/index.js";
import { randomData, resultJson, same } from "./helpers.js";

function m(algorithm: string, ratio: number, speedMBps: number, memory = 0): CandidateMeasurement {
  const speed = speedMBps * 1e6;
  return {
    algorithm,
    level: 1,
    ratio,
    compressBytesPerSecond: speed * 2,
    decompressBytesPerSecond: speed * 2,
    roundTripBytesPerSecond: speed,
    workingMemoryBytes: memory,
  };
}

describe("goal rules (applied to measured figures)", () => {
  const measured = [m("fast", 4, 1000, 16_000), m("middle", 8, 300, 300_000), m("slow", 12, 20, 8_000_000)];

  it("best-ratio takes the highest ratio; best-speed the fastest", () => {
    expect(choose(CompressionGoal.BEST_RATIO, measured, 1.05, 1 << 20)?.algorithm).toBe("slow");
    expect(choose(CompressionGoal.BEST_SPEED, measured, 1.05, 1 << 20)?.algorithm).toBe("fast");
  });

  it("balanced takes the best ratio among candidates at least 25% as fast as the fastest", () => {
    expect(choose(CompressionGoal.BALANCED, measured, 1.05, 1 << 20)?.algorithm).toBe("middle");
    expect(
      choose(CompressionGoal.BALANCED, [m("a", 4, 1000), m("b", 8, 200)], 1.05, 1 << 20)?.algorithm,
    ).toBe("a");
  });

  it("low-memory applies balanced within the memory budget, else takes the smallest", () => {
    expect(choose(CompressionGoal.LOW_MEMORY, measured, 1.05, 100_000)?.algorithm).toBe("fast");
    expect(choose(CompressionGoal.LOW_MEMORY, measured, 1.05, 1 << 20)?.algorithm).toBe("middle");
    expect(choose(CompressionGoal.LOW_MEMORY, measured, 1.05, 10)?.algorithm).toBe("fast");
  });

  it("picks nothing (store) when no candidate reaches the ratio threshold", () => {
    expect(choose(CompressionGoal.BALANCED, [m("a", 1.01, 1000)], 1.05, 1 << 20)).toBeUndefined();
  });

  it("breaks near-ties in ratio by speed", () => {
    expect(
      choose(CompressionGoal.BEST_RATIO, [m("a", 10, 10), m("b", 10.02, 500)], 1.05, 1 << 20)?.algorithm,
    ).toBe("b");
  });
});

describe("AdaptiveCompressor on real data", () => {
  const json = resultJson(120);

  for (const goal of Object.values(CompressionGoal)) {
    it(`${goal}: measures every candidate on the sample and reports figures that match the output`, () => {
      const adaptive = new AdaptiveCompressor({ goal, sampleBytes: 16 * 1024 });
      const { data, metrics } = adaptive.compressWithMetrics(json);
      expect(metrics.goal).toBe(goal);
      expect(metrics.measurements.length).toBeGreaterThanOrEqual(4);
      for (const x of metrics.measurements) {
        expect(x.ratio).toBeGreaterThan(1);
        expect(x.compressBytesPerSecond).toBeGreaterThan(0);
      }
      expect(metrics.inputBytes).toBe(json.length);
      expect(metrics.outputBytes).toBe(data.length);
      expect(metrics.ratio).toBeCloseTo(json.length / data.length, 6);
      expect(metrics.stored).toBe(false);
      const chosen = metrics.measurements.find(
        (x) => x.algorithm === metrics.algorithm && x.level === metrics.level,
      );
      expect(chosen, "the chosen candidate is one of the measured ones").toBeDefined();
      expect(chosen).toEqual(choose(goal, metrics.measurements, 1.05, 1 << 20));
      expect(same(decompressFrame(data), json)).toBe(true);
      expect(same(adaptive.decompress(data), json)).toBe(true);
    });
  }

  it("best-ratio beats best-speed on ratio for JSON", () => {
    const ratio = new AdaptiveCompressor({ goal: "best-ratio", sampleBytes: 16 * 1024 }).compressWithMetrics(
      json,
    ).metrics;
    const speed = new AdaptiveCompressor({ goal: "best-speed", sampleBytes: 16 * 1024 }).compressWithMetrics(
      json,
    ).metrics;
    expect(ratio.ratio).toBeGreaterThan(speed.ratio);
  });

  it("stores random input and says so", () => {
    const data = randomData(200_000);
    const { data: frame, metrics } = new AdaptiveCompressor().compressWithMetrics(data);
    expect(metrics.stored).toBe(true);
    expect(readFrame(frame).stored).toBe(true);
    expect(same(decompressFrame(frame), data)).toBe(true);
  });

  it("honours an explicit candidate list", () => {
    const adaptive = new AdaptiveCompressor({ candidates: [{ algorithm: "gzip", level: "fast" }] });
    const { metrics } = adaptive.compressWithMetrics(json);
    expect([metrics.algorithm, metrics.level]).toEqual(["gzip", 3]);
  });

  it("rejects bad options with CONFIGURATION and unknown algorithms with UNSUPPORTED", async () => {
    await expectStoreError(() => new AdaptiveCompressor({ goal: "cheapest" as never }), "CONFIGURATION");
    await expectStoreError(() => new AdaptiveCompressor({ candidates: [] }), "CONFIGURATION");
    await expectStoreError(() => new AdaptiveCompressor({ sampleBytes: 10 }), "CONFIGURATION");
    await expectStoreError(
      () => new AdaptiveCompressor({ candidates: [{ algorithm: "zip" }] }),
      "UNSUPPORTED",
    );
  });
});
