import { describe, expect, it } from "vitest";
import { median, percentile, spread } from "../src/stats.js";
import { checkTarget } from "../src/targets.js";

describe("stats", () => {
  it("takes medians of odd and even lists without reordering the input", () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("interpolates percentiles", () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([10, 20], 95)).toBeCloseTo(19.5);
    expect(percentile([7], 50)).toBe(7);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it("gives median, min and max", () => {
    expect(spread([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9 });
  });

  it("checks targets in both directions", () => {
    expect(checkTarget("ratio", 0.8, ">=", 0.75, "×").pass).toBe(true);
    expect(checkTarget("ratio", 0.7, ">=", 0.75, "×").pass).toBe(false);
    expect(checkTarget("p50", 21, "<=", 20, "ms").pass).toBe(false);
    expect(checkTarget("p50", 20, "<=", 20, "ms").pass).toBe(true);
  });
});
