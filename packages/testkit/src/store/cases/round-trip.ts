import { ResultStatistics, ValidationResult, ValidatorResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult } from "../../assertions.js";
import type { ConformanceCase } from "../case.js";

/** A result using every field, odd values and keys this version does not know. */
export function makeFullResult(): ValidationResult {
  return ValidationResult.fromDict({
    run_id: "run_20240305_141516_0a1b2c3d",
    run_time: "2024-03-05T14:15:16.123456+00:00",
    data_asset: "warehouse/sales.orders",
    status: "failure",
    results: [
      new ValidatorResult({
        validatorName: "null_check",
        success: false,
        column: "email",
        issueType: "null_values",
        count: 42,
        severity: "critical",
        message: "42 nulls in 'email' — ünïcödé ✓",
        details: { expected: 0, actual: 42, sample_values: [null, "", "a@b"], ratio: 0.1 + 0.2 },
        executionTimeMs: 12.5,
        extra: { validator_version: "2.1", flags: ["x", "y"] },
      }).toDict(),
      new ValidatorResult({ validatorName: "unique", success: true }).toDict(),
    ],
    statistics: {
      ...new ResultStatistics({
        totalValidators: 2,
        passedValidators: 1,
        failedValidators: 1,
        errorValidators: 0,
        totalRows: 1_000_000,
        totalColumns: 12,
        totalIssues: 42,
        criticalIssues: 1,
        highIssues: 2,
        mediumIssues: 3,
        lowIssues: 4,
        executionTimeMs: 1234.567,
      }).toDict(),
      sampled_rows: 1000,
    },
    tags: { env: "prod", "team/name": "data:platform", ключ: "значение" },
    metadata: {
      source: "s3://bucket/sales/2024-03-05.parquet",
      nested: { deep: { deeper: [1, 2.5, -3, true, false, null, "😀"] } },
      big_int: Number.MAX_SAFE_INTEGER,
      tiny: 1e-12,
      empty_object: {},
      empty_list: [],
    },
    suite_name: "sales_suite",
    runtime_environment: { python: "3.11.9", truthound: "3.2.0", platform: "linux" },
    _schema_version: 3,
    future_field: { added_in: "4.0" },
  });
}

export const roundTripCases: ConformanceCase[] = [
  {
    group: "roundTrip",
    name: "a result with every field, microsecond time and unknown keys round-trips exactly",
    async run({ harness }) {
      const store = await harness.open();
      const full = makeFullResult();
      await store.save(full);
      const read = await store.get(full.runId);
      expectSameResult(read, full);
      expect(read.runTimeIso).toBe("2024-03-05T14:15:16.123456+00:00");
      expect(read.extra).toEqual({ _schema_version: 3, future_field: { added_in: "4.0" } });
      expect(read.results[0]?.extra).toEqual({ validator_version: "2.1", flags: ["x", "y"] });
      expect(read.statistics.extra).toEqual({ sampled_rows: 1000 });
      expect(read.statistics.passRate).toBe(0.5);
    },
  },
  {
    group: "roundTrip",
    name: "a minimal result (no validators, tags, metadata or suite) round-trips",
    async run({ harness }) {
      const store = await harness.open();
      const minimal = new ValidationResult({
        runId: "minimal",
        runTime: "2024-01-01T00:00:00+00:00",
        dataAsset: "",
        status: "success",
      });
      await store.save(minimal);
      const read = await store.get("minimal");
      expectSameResult(read, minimal);
      expect(read.suiteName).toBeNull();
      expect(await store.listIds({ dataAsset: "" })).toEqual(["minimal"]);
    },
  },
];
