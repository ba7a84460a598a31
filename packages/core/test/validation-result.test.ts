import { describe, expect, it } from "vitest";
import {
  generateRunId,
  isStoreError,
  ResultStatistics,
  RUN_ID_PATTERN,
  ValidationResult,
  ValidatorResult,
} from "../src/index.js";

// Key order of Truthound (Python) 3.x `to_dict()` (truthound/stores/results.py).
const PY_RESULT_KEYS = [
  "run_id",
  "run_time",
  "data_asset",
  "status",
  "results",
  "statistics",
  "tags",
  "metadata",
  "suite_name",
  "runtime_environment",
];
const PY_VALIDATOR_KEYS = [
  "validator_name",
  "success",
  "column",
  "issue_type",
  "count",
  "severity",
  "message",
  "details",
  "execution_time_ms",
];
const PY_STATISTICS_KEYS = [
  "total_validators",
  "passed_validators",
  "failed_validators",
  "error_validators",
  "total_rows",
  "total_columns",
  "total_issues",
  "critical_issues",
  "high_issues",
  "medium_issues",
  "low_issues",
  "execution_time_ms",
  "pass_rate",
  "issue_rate",
];

function sample(): ValidationResult {
  return new ValidationResult({
    runId: "run_20240102_030405_abcdef01",
    runTime: "2024-01-02T03:04:05.123456+00:00",
    dataAsset: "customers.csv",
    status: "failure",
    results: [
      new ValidatorResult({
        validatorName: "null_check",
        success: false,
        column: "email",
        severity: "critical",
        count: 3,
      }),
      new ValidatorResult({
        validatorName: "null_check",
        success: false,
        column: "phone",
        severity: "low",
        count: 1,
      }),
      new ValidatorResult({
        validatorName: "unique",
        success: false,
        column: "email",
        severity: "high",
        count: 2,
      }),
      new ValidatorResult({ validatorName: "range", success: true, column: "age", severity: "critical" }),
      new ValidatorResult({ validatorName: "schema", success: false, column: null, severity: "critical" }),
    ],
    statistics: new ResultStatistics({
      totalValidators: 5,
      passedValidators: 1,
      failedValidators: 4,
      totalRows: 200,
      totalIssues: 6,
      criticalIssues: 2,
      highIssues: 1,
      lowIssues: 1,
    }),
    tags: { env: "prod" },
    metadata: { source: "s3://bucket/customers.csv" },
    suiteName: "customers_suite",
    runtimeEnvironment: { python: "3.11" },
  });
}

describe("ValidationResult.toDict", () => {
  it("has exactly Python's keys in Python's order, at every level", () => {
    const dict = sample().toDict();
    expect(Object.keys(dict)).toEqual(PY_RESULT_KEYS);
    expect(Object.keys((dict.results as Record<string, unknown>[])[0] as object)).toEqual(PY_VALIDATOR_KEYS);
    expect(Object.keys(dict.statistics as object)).toEqual(PY_STATISTICS_KEYS);
  });

  it("writes the run time as an ISO string with microseconds and +00:00, as Python's isoformat()", () => {
    expect(sample().toDict().run_time).toBe("2024-01-02T03:04:05.123456+00:00");
    const whole = new ValidationResult({ dataAsset: "a", status: "success", runTime: Date.UTC(2024, 0, 1) });
    expect(whole.toDict().run_time).toBe("2024-01-01T00:00:00+00:00");
    const converted = new ValidationResult({
      dataAsset: "a",
      status: "success",
      runTime: "2024-01-01T02:30:00+02:30",
    });
    expect(converted.toDict().run_time).toBe("2024-01-01T00:00:00+00:00");
  });

  it("serializes validator defaults like Python", () => {
    expect(new ValidatorResult({ validatorName: "v", success: true }).toDict()).toEqual({
      validator_name: "v",
      success: true,
      column: null,
      issue_type: null,
      count: 0,
      severity: null,
      message: null,
      details: {},
      execution_time_ms: 0,
    });
  });
});

describe("ValidationResult.fromDict", () => {
  it("reads a naive Python timestamp as UTC and keeps its microseconds", () => {
    const result = ValidationResult.fromDict({
      run_id: "r",
      run_time: "2024-06-30T23:59:59.999999",
      data_asset: "a",
      status: "success",
    });
    expect(result.runTime.toISOString()).toBe("2024-06-30T23:59:59.999Z");
    expect(result.runTimeIso).toBe("2024-06-30T23:59:59.999999+00:00");
    expect(result.toDict().run_time).toBe("2024-06-30T23:59:59.999999+00:00");
  });

  it("reads an offset timestamp as that instant", () => {
    const result = ValidationResult.fromDict({
      run_id: "r",
      run_time: "2024-01-01T05:00:00.000001-05:00",
      data_asset: "a",
      status: "warning",
    });
    expect(result.runTime.toISOString()).toBe("2024-01-01T10:00:00.000Z");
    expect(result.runTimeIso).toBe("2024-01-01T10:00:00.000001+00:00");
  });

  it("fills Python's defaults for absent keys", () => {
    const result = ValidationResult.fromDict({
      run_id: "r",
      run_time: "2024-01-01T00:00:00",
      data_asset: "a",
      status: "error",
    });
    expect(result.results).toEqual([]);
    expect(result.tags).toEqual({});
    expect(result.metadata).toEqual({});
    expect(result.suiteName).toBeNull();
    expect(result.runtimeEnvironment).toEqual({});
    expect(result.statistics.toDict()).toEqual(new ResultStatistics().toDict());
  });

  it("keeps unknown keys at every level through a round trip, and ignores the derived rates", () => {
    const dict = {
      ...sample().toDict(),
      future_key: { nested: [1, 2] },
      results: [{ ...new ValidatorResult({ validatorName: "v", success: true }).toDict(), weight: 0.5 }],
      statistics: {
        ...new ResultStatistics({ totalValidators: 4, passedValidators: 1 }).toDict(),
        pass_rate: 0.99,
        p95_ms: 12,
      },
    };
    const result = ValidationResult.fromDict(JSON.parse(JSON.stringify(dict)));
    expect(result.extra).toEqual({ future_key: { nested: [1, 2] } });
    expect(result.results[0]?.extra).toEqual({ weight: 0.5 });
    expect(result.statistics.extra).toEqual({ p95_ms: 12 });
    expect(result.statistics.passRate).toBe(0.25);
    const again = result.toDict();
    expect(again.future_key).toEqual({ nested: [1, 2] });
    expect(Object.keys(again).slice(0, PY_RESULT_KEYS.length)).toEqual(PY_RESULT_KEYS);
    expect((again.statistics as Record<string, unknown>).pass_rate).toBe(0.25);
    expect(ValidationResult.fromDict(again).toDict()).toEqual(again);
  });

  it.each([
    ["not an object", [1, 2]],
    ["missing run_id", { run_time: "2024-01-01T00:00:00", data_asset: "a", status: "success" }],
    ["missing run_time", { run_id: "r", data_asset: "a", status: "success" }],
    ["missing data_asset", { run_id: "r", run_time: "2024-01-01T00:00:00", status: "success" }],
    ["unknown status", { run_id: "r", run_time: "2024-01-01T00:00:00", data_asset: "a", status: "passed" }],
    ["bad run_time", { run_id: "r", run_time: "yesterday", data_asset: "a", status: "success" }],
    [
      "results not a list",
      { run_id: "r", run_time: "2024-01-01T00:00:00", data_asset: "a", status: "success", results: {} },
    ],
    [
      "validator without a name",
      {
        run_id: "r",
        run_time: "2024-01-01T00:00:00",
        data_asset: "a",
        status: "success",
        results: [{ success: true }],
      },
    ],
    [
      "statistics counter not a number",
      {
        run_id: "r",
        run_time: "2024-01-01T00:00:00",
        data_asset: "a",
        status: "success",
        statistics: { total_rows: "1" },
      },
    ],
  ])("rejects %s with SERIALIZATION", (_why, data) => {
    let error: unknown;
    try {
      ValidationResult.fromDict(data);
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error, "SERIALIZATION")).toBe(true);
  });
});

describe("generateRunId", () => {
  it("uses Python's format run_YYYYMMDD_HHMMSS_<8 hex> with the UTC date and time", () => {
    const id = generateRunId(new Date(Date.UTC(2024, 1, 29, 23, 5, 9)));
    expect(id).toMatch(RUN_ID_PATTERN);
    expect(id.slice(0, 20)).toBe("run_20240229_230509_");
    expect(generateRunId()).toMatch(RUN_ID_PATTERN);
  });

  it("is unique across calls in the same second", () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 1000 }, () => generateRunId(now)));
    expect(ids.size).toBe(1000);
  });

  it("is the default run id of a new result", () => {
    expect(new ValidationResult({ dataAsset: "a", status: "success" }).runId).toMatch(RUN_ID_PATTERN);
  });
});

describe("ResultStatistics", () => {
  it("derives passRate (1 without validators) and issueRate (0 without rows)", () => {
    expect(new ResultStatistics().passRate).toBe(1);
    expect(new ResultStatistics().issueRate).toBe(0);
    const s = new ResultStatistics({
      totalValidators: 8,
      passedValidators: 6,
      totalRows: 400,
      totalIssues: 10,
    });
    expect(s.passRate).toBe(0.75);
    expect(s.issueRate).toBe(0.025);
    expect(s.toDict()).toMatchObject({ pass_rate: 0.75, issue_rate: 0.025 });
  });
});

describe("ValidationResult helpers", () => {
  it("success is true only for status success", () => {
    expect(sample().success).toBe(false);
    for (const status of ["failure", "error", "warning"] as const) {
      expect(new ValidationResult({ dataAsset: "a", status }).success).toBe(false);
    }
    expect(new ValidationResult({ dataAsset: "a", status: "success" }).success).toBe(true);
  });

  it("getFailedColumns lists the columns of failed validators, once each", () => {
    expect(sample().getFailedColumns()).toEqual(new Set(["email", "phone"]));
  });

  it("getIssuesBySeverity returns failed validators of that severity only", () => {
    const critical = sample().getIssuesBySeverity("critical");
    expect(critical.map((r) => [r.validatorName, r.column])).toEqual([
      ["null_check", "email"],
      ["schema", null],
    ]);
    expect(sample().getIssuesBySeverity("medium")).toEqual([]);
  });

  it("summary has Python's lines plus the pass rate", () => {
    expect(sample().summary().split("\n")).toEqual([
      "Validation Result: FAILURE",
      "Run ID: run_20240102_030405_abcdef01",
      "Data Asset: customers.csv",
      "Run Time: 2024-01-02T03:04:05.123456+00:00",
      "Issues: 6 (Critical: 2, High: 1, Medium: 0, Low: 1)",
      "Pass Rate: 20.0%",
    ]);
  });

  it("id is the run id", () => {
    expect(sample().id).toBe("run_20240102_030405_abcdef01");
  });
});

describe("ValidationResult construction", () => {
  it("refuses a missing or unknown status and a missing data asset, so nothing unreadable is ever saved", () => {
    for (const bad of [{ dataAsset: "a" }, { dataAsset: "a", status: "passed" }, { status: "success" }]) {
      let error: unknown;
      try {
        new ValidationResult(bad as never);
      } catch (e) {
        error = e;
      }
      expect(isStoreError(error, "INVALID_ARGUMENT")).toBe(true);
    }
    expect(new ValidationResult({ dataAsset: "a", status: "warning" }).status).toBe("warning");
  });
});
