import { RUN_ID_PATTERN, ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { makeResult, makeResults } from "../src/index.js";

describe("fixtures", () => {
  it("makeResults is reproducible from its seed and gives distinct Python-style run ids", () => {
    const a = makeResults(500, { seed: 3 });
    const b = makeResults(500, { seed: 3 });
    expect(a.map((r) => r.toDict())).toEqual(b.map((r) => r.toDict()));
    expect(new Set(a.map((r) => r.runId)).size).toBe(500);
    for (const r of a) expect(r.runId).toMatch(RUN_ID_PATTERN);
    expect(makeResults(5, { seed: 4 }).map((r) => r.runId)).not.toEqual(a.slice(0, 5).map((r) => r.runId));
  });

  it("makeResults spaces run times by stepMs and draws from the given assets, statuses and tags", () => {
    const results = makeResults(40, {
      start: Date.UTC(2025, 0, 1),
      stepMs: 60_000,
      assets: ["x", "y"],
      statuses: ["failure", "warning"],
      tags: { region: ["eu"] },
      validators: [2, 4],
    });
    for (const [i, r] of results.entries())
      expect(r.runTime.getTime()).toBe(Date.UTC(2025, 0, 1) + i * 60_000);
    expect(new Set(results.map((r) => r.dataAsset))).toEqual(new Set(["x", "y"]));
    for (const r of results) {
      expect(["failure", "warning"]).toContain(r.status);
      expect(r.tags).toEqual({ region: "eu" });
      expect(r.results.length).toBeGreaterThanOrEqual(2);
      expect(r.results.length).toBeLessThanOrEqual(4);
    }
  });

  it("statistics agree with the validator outcomes", () => {
    for (const r of makeResults(200, { seed: 9 })) {
      const s = r.statistics;
      const failed = r.results.filter((v) => !v.success);
      expect(s.totalValidators).toBe(r.results.length);
      expect(s.passedValidators + s.failedValidators + s.errorValidators).toBe(s.totalValidators);
      expect(s.criticalIssues + s.highIssues + s.mediumIssues + s.lowIssues).toBe(failed.length);
      expect(s.totalIssues).toBe(failed.reduce((sum, v) => sum + v.count, 0));
      expect(failed.length === 0).toBe(r.status === "success");
    }
  });

  it("makeResult applies overrides and survives a toDict/fromDict round trip", () => {
    const r = makeResult({ runId: "custom", dataAsset: "d", status: "error", suiteName: null, tags: {} });
    expect([r.runId, r.dataAsset, r.status, r.suiteName]).toEqual(["custom", "d", "error", null]);
    expect(r.tags).toEqual({});
    expect(ValidationResult.fromDict(JSON.parse(JSON.stringify(r.toDict()))).toDict()).toEqual(r.toDict());
    expect(makeResult().runId).not.toBe(makeResult().runId);
  });

  it("rejects a bad count", () => {
    expect(() => makeResults(-1)).toThrow(RangeError);
  });
});
