import { InvalidArgumentError, isStoreError, StoreSerializationError } from "../errors.js";
import { extraKeys, isPlainObject } from "./json.js";
import { generateRunId } from "./run-id.js";
import { ResultStatistics } from "./statistics.js";
import { formatInstant, type Instant, parseInstant } from "./timestamp.js";
import { ValidatorResult } from "./validator-result.js";

export const RESULT_STATUSES = ["success", "failure", "error", "warning"] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const ResultStatus = {
  SUCCESS: "success",
  FAILURE: "failure",
  ERROR: "error",
  WARNING: "warning",
} as const satisfies Record<string, ResultStatus>;

export function isResultStatus(value: unknown): value is ResultStatus {
  return typeof value === "string" && (RESULT_STATUSES as readonly string[]).includes(value);
}

export interface ValidationResultInit {
  runId?: string;
  runTime?: Date | string | number;
  dataAsset: string;
  status: ResultStatus;
  results?: ValidatorResult[];
  statistics?: ResultStatistics;
  tags?: Record<string, string>;
  metadata?: Record<string, unknown>;
  suiteName?: string | null;
  runtimeEnvironment?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

const KEYS = [
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
] as const;

/** One validation run: the document every store keeps. Serializes to Truthound (Python)'s JSON shape. */
export class ValidationResult {
  runId: string;
  dataAsset: string;
  status: ResultStatus;
  results: ValidatorResult[];
  statistics: ResultStatistics;
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  suiteName: string | null;
  runtimeEnvironment: Record<string, unknown>;
  /** Keys this version does not know; kept so they survive a round trip. */
  extra: Record<string, unknown>;
  #runTime: Instant;

  constructor(init: ValidationResultInit) {
    if (typeof init.dataAsset !== "string") {
      throw new InvalidArgumentError("ValidationResult: dataAsset is required and must be a string");
    }
    if (!isResultStatus(init.status)) {
      throw new InvalidArgumentError(
        `ValidationResult: status must be one of ${RESULT_STATUSES.join(", ")}, got ${JSON.stringify(init.status)}`,
      );
    }
    this.runId = init.runId ?? generateRunId();
    this.#runTime = parseInstant(init.runTime ?? new Date());
    this.dataAsset = init.dataAsset;
    this.status = init.status;
    this.results = init.results ?? [];
    this.statistics = init.statistics ?? new ResultStatistics();
    this.tags = init.tags ?? {};
    this.metadata = init.metadata ?? {};
    this.suiteName = init.suiteName ?? null;
    this.runtimeEnvironment = init.runtimeEnvironment ?? {};
    this.extra = init.extra ?? {};
  }

  get id(): string {
    return this.runId;
  }

  get runTime(): Date {
    return new Date(this.#runTime.ms);
  }

  set runTime(value: Date | string | number) {
    this.#runTime = parseInstant(value);
  }

  /** The run time with Python's microsecond precision, as written by `toDict()`. */
  get runTimeIso(): string {
    return formatInstant(this.#runTime);
  }

  get success(): boolean {
    return this.status === "success";
  }

  getFailedColumns(): Set<string> {
    const columns = new Set<string>();
    for (const r of this.results) if (!r.success && r.column) columns.add(r.column);
    return columns;
  }

  getIssuesBySeverity(severity: string): ValidatorResult[] {
    return this.results.filter((r) => !r.success && r.severity === severity);
  }

  summary(): string {
    const s = this.statistics;
    const lines = [
      `Validation Result: ${this.status.toUpperCase()}`,
      `Run ID: ${this.runId}`,
      `Data Asset: ${this.dataAsset}`,
      `Run Time: ${this.runTimeIso}`,
      `Issues: ${s.totalIssues} (Critical: ${s.criticalIssues}, High: ${s.highIssues}, Medium: ${s.mediumIssues}, Low: ${s.lowIssues})`,
      `Pass Rate: ${(s.passRate * 100).toFixed(1)}%`,
    ];
    return lines.join("\n");
  }

  toDict(): Record<string, unknown> {
    return {
      run_id: this.runId,
      run_time: this.runTimeIso,
      data_asset: this.dataAsset,
      status: this.status,
      results: this.results.map((r) => r.toDict()),
      statistics: this.statistics.toDict(),
      tags: this.tags,
      metadata: this.metadata,
      suite_name: this.suiteName,
      runtime_environment: this.runtimeEnvironment,
      ...this.extra,
    };
  }

  toJSON(): Record<string, unknown> {
    return this.toDict();
  }

  /** Accepts Python's shape, including naive timestamps (read as UTC) and unknown keys (kept). */
  static fromDict(data: unknown): ValidationResult {
    if (!isPlainObject(data)) throw new StoreSerializationError("A validation result must be a JSON object");
    for (const key of ["run_id", "run_time", "data_asset", "status"] as const) {
      if (typeof data[key] !== "string") {
        throw new StoreSerializationError(`validation result: '${key}' is required and must be a string`);
      }
    }
    if (!isResultStatus(data.status)) {
      throw new StoreSerializationError(`validation result: unknown status ${JSON.stringify(data.status)}`);
    }
    const results = data.results ?? [];
    if (!Array.isArray(results))
      throw new StoreSerializationError("validation result: 'results' must be a list");
    let runTime: Instant;
    try {
      runTime = parseInstant(data.run_time as string);
    } catch (error) {
      throw new StoreSerializationError(
        `validation result: bad 'run_time' ${JSON.stringify(data.run_time)}`,
        {
          cause: isStoreError(error) ? error : undefined,
        },
      );
    }
    const tags = data.tags ?? {};
    if (!isPlainObject(tags))
      throw new StoreSerializationError("validation result: 'tags' must be an object");
    const result = new ValidationResult({
      runId: data.run_id as string,
      runTime: runTime.ms,
      dataAsset: data.data_asset as string,
      status: data.status,
      results: results.map((r) => ValidatorResult.fromDict(r)),
      statistics: ResultStatistics.fromDict(data.statistics),
      tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])),
      metadata: isPlainObject(data.metadata) ? data.metadata : {},
      suiteName: typeof data.suite_name === "string" ? data.suite_name : null,
      runtimeEnvironment: isPlainObject(data.runtime_environment) ? data.runtime_environment : {},
      extra: extraKeys(data, KEYS),
    });
    result.#runTime = runTime;
    return result;
  }
}
