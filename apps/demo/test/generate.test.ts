import { ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { DEFAULT_ASSETS, generateResults } from "../src/fixtures.js";
import { buildSuite } from "../src/suite.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");

describe("result generator", () => {
  const results = generateResults(400, { seed: 5, now: NOW, spanDays: 30 });

  it("is deterministic for a seed and differs across seeds", () => {
    const again = generateResults(400, { seed: 5, now: NOW, spanDays: 30 });
    expect(again.map((r) => JSON.stringify(r))).toEqual(results.map((r) => JSON.stringify(r)));
    const other = generateResults(400, { seed: 6, now: NOW, spanDays: 30 });
    expect(other.map((r) => r.runId)).not.toEqual(results.map((r) => r.runId));
  });

  it("gives every asset a suite of 50 to 200 validators", () => {
    for (const asset of DEFAULT_ASSETS) {
      const suite = buildSuite(asset);
      expect(suite).toHaveLength(asset.suiteSize);
      expect(asset.suiteSize).toBeGreaterThanOrEqual(50);
      expect(asset.suiteSize).toBeLessThanOrEqual(200);
    }
    const sizes = new Set(results.map((r) => r.results.length));
    expect(Math.min(...sizes)).toBe(50);
    expect(Math.max(...sizes)).toBe(200);
  });

  it("covers several assets, every status and several tag values", () => {
    expect(new Set(results.map((r) => r.dataAsset)).size).toBe(DEFAULT_ASSETS.length);
    expect(new Set(results.map((r) => r.status))).toEqual(
      new Set(["success", "warning", "failure", "error"]),
    );
    expect(new Set(results.map((r) => r.tags.environment)).size).toBe(3);
  });

  it("produces unique Python-format run ids and run times inside the span", () => {
    expect(new Set(results.map((r) => r.runId)).size).toBe(results.length);
    for (const r of results) {
      expect(r.runId).toMatch(/^run_\d{8}_\d{6}_[0-9a-f]{8}$/);
      expect(r.runTime.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(r.runTime.getTime()).toBeGreaterThan(NOW.getTime() - 30 * 86_400_000);
    }
  });

  it("keeps statistics and status consistent with the validator outcomes", () => {
    for (const r of results) {
      const s = r.statistics;
      const failed = r.results.filter((v) => !v.success);
      const errored = failed.filter((v) => v.issueType === "execution_error");
      expect(s.totalValidators).toBe(r.results.length);
      expect(s.passedValidators + s.failedValidators + s.errorValidators).toBe(s.totalValidators);
      expect(s.errorValidators).toBe(errored.length);
      expect(s.totalIssues).toBe(s.criticalIssues + s.highIssues + s.mediumIssues + s.lowIssues);
      const seriousFailures = failed.filter(
        (v) => v.issueType !== "execution_error" && (v.severity === "critical" || v.severity === "high"),
      );
      if (r.status === "success") expect(failed).toHaveLength(0);
      if (r.status === "warning") expect(failed.length > 0 && seriousFailures.length === 0).toBe(true);
      if (r.status === "failure") expect(seriousFailures.length).toBeGreaterThan(0);
      if (r.status === "error") expect(errored.length).toBeGreaterThan(0);
    }
  });

  it("round-trips through the Python JSON shape", () => {
    for (const r of results.slice(0, 20)) {
      expect(JSON.stringify(ValidationResult.fromDict(JSON.parse(JSON.stringify(r))))).toBe(
        JSON.stringify(r),
      );
    }
  });
});
