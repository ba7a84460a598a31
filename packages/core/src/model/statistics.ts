import { StoreSerializationError } from "../errors.js";
import { extraKeys, isPlainObject } from "./json.js";

const COUNTERS = [
  ["totalValidators", "total_validators"],
  ["passedValidators", "passed_validators"],
  ["failedValidators", "failed_validators"],
  ["errorValidators", "error_validators"],
  ["totalRows", "total_rows"],
  ["totalColumns", "total_columns"],
  ["totalIssues", "total_issues"],
  ["criticalIssues", "critical_issues"],
  ["highIssues", "high_issues"],
  ["mediumIssues", "medium_issues"],
  ["lowIssues", "low_issues"],
  ["executionTimeMs", "execution_time_ms"],
] as const;

type CounterName = (typeof COUNTERS)[number][0];

export type ResultStatisticsInit = Partial<Record<CounterName, number>> & { extra?: Record<string, unknown> };

/** Aggregate counts of a run. `passRate` and `issueRate` are derived, never read back. */
export class ResultStatistics {
  totalValidators = 0;
  passedValidators = 0;
  failedValidators = 0;
  errorValidators = 0;
  totalRows = 0;
  totalColumns = 0;
  totalIssues = 0;
  criticalIssues = 0;
  highIssues = 0;
  mediumIssues = 0;
  lowIssues = 0;
  executionTimeMs = 0;
  extra: Record<string, unknown>;

  constructor(init: ResultStatisticsInit = {}) {
    for (const [name] of COUNTERS) {
      const value = init[name];
      if (value !== undefined) this[name] = value;
    }
    this.extra = init.extra ?? {};
  }

  get passRate(): number {
    return this.totalValidators === 0 ? 1 : this.passedValidators / this.totalValidators;
  }

  get issueRate(): number {
    return this.totalRows === 0 ? 0 : this.totalIssues / this.totalRows;
  }

  toDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, key] of COUNTERS) out[key] = this[name];
    out.pass_rate = this.passRate;
    out.issue_rate = this.issueRate;
    return { ...out, ...this.extra };
  }

  static fromDict(data: unknown): ResultStatistics {
    if (data === undefined || data === null) return new ResultStatistics();
    if (!isPlainObject(data)) throw new StoreSerializationError("'statistics' must be a JSON object");
    const init: ResultStatisticsInit = {};
    for (const [name, key] of COUNTERS) {
      const value = data[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== "number")
        throw new StoreSerializationError(`statistics: '${key}' must be a number`);
      init[name] = value;
    }
    init.extra = extraKeys(data, [...COUNTERS.map(([, key]) => key), "pass_rate", "issue_rate"]);
    return new ResultStatistics(init);
  }
}
