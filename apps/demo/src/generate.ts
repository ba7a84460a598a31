import {
  ResultStatistics,
  type ResultStatus,
  ValidationResult,
  ValidatorResult,
} from "@truthound/store-core";
import { type AssetProfile, type ColumnKind, DEFAULT_ASSETS } from "./catalog.js";
import { SeededRandom } from "./random.js";
import { buildSuite, type Severity, type ValidatorSpec } from "./suite.js";

export interface ResultGeneratorOptions {
  /** Same seed, same results. Default 42. */
  seed?: number;
  /** Newest possible run time. Default: now. */
  now?: Date;
  /** Run times are spread uniformly over this many days before `now`. Default 30. */
  spanDays?: number;
  assets?: readonly AssetProfile[];
}

const DAY_MS = 86_400_000;
const ENVIRONMENTS = [
  ["production", 6],
  ["staging", 3],
  ["dev", 1],
] as const;
const PIPELINES = [
  ["daily", 5],
  ["hourly", 4],
  ["backfill", 1],
] as const;
const TRIGGERS = ["scheduler", "scheduler", "scheduler", "manual", "ci"] as const;
const ERROR_MESSAGES = [
  "Timed out after 30000 ms while scanning the column",
  "Connection reset by peer while reading the partition",
  "Column disappeared from the source between planning and execution",
  "Out of memory while computing the histogram",
] as const;

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Produces realistic Truthound validation results: several assets with suites of 50-200 validators, mostly
 * passing runs with warnings, failures and errors at per-asset rates, statistics consistent with the
 * validator outcomes, tags, metadata and a runtime environment. Deterministic for a given seed.
 */
export class ResultGenerator {
  readonly #random: SeededRandom;
  readonly #now: number;
  readonly #spanMs: number;
  readonly #assets: ReadonlyArray<{ profile: AssetProfile; suite: ValidatorSpec[] }>;
  readonly #usedIds = new Set<string>();

  constructor(options: ResultGeneratorOptions = {}) {
    this.#random = new SeededRandom(options.seed ?? 42);
    this.#now = (options.now ?? new Date()).getTime();
    this.#spanMs = (options.spanDays ?? 30) * DAY_MS;
    const assets = options.assets ?? DEFAULT_ASSETS;
    if (assets.length === 0) throw new RangeError("ResultGenerator needs at least one asset");
    this.#assets = assets.map((profile) => ({ profile, suite: buildSuite(profile) }));
  }

  get assetNames(): string[] {
    return this.#assets.map((a) => a.profile.name);
  }

  /** `count` results, each for a randomly chosen asset. */
  take(count: number): ValidationResult[] {
    return Array.from({ length: count }, () => this.next());
  }

  next(): ValidationResult {
    const r = this.#random;
    const { profile, suite } = r.pick(this.#assets);
    const runTime = new Date(this.#now - Math.floor(r.next() * this.#spanMs));
    const status = r.weighted(profile.statusWeights);
    const rows = r.int(profile.rows[0], profile.rows[1]);
    const results = this.#validatorResults(suite, status, rows);
    const statistics = this.#statistics(results, rows, profile.columns.length);
    const environment = r.weighted(ENVIRONMENTS);
    const pipeline = r.weighted(PIPELINES);
    return new ValidationResult({
      runId: this.#runId(runTime),
      runTime,
      dataAsset: profile.name,
      status,
      results,
      statistics,
      tags: { environment, team: profile.team, pipeline },
      metadata: {
        source: profile.source,
        pipeline_run_id: `${pipeline}-${runTime.toISOString().slice(0, 10)}-${r.hex(6)}`,
        triggered_by: r.pick(TRIGGERS),
        row_sample_rate: r.pick([1, 1, 1, 0.5, 0.1]),
      },
      suiteName: `${profile.name.replace(/[^a-z0-9]+/gi, "_")}_suite`,
      runtimeEnvironment: {
        python_version: "3.11.9",
        truthound_version: "3.2.0",
        engine: "polars",
        platform: "linux-x86_64",
        host: `worker-${r.int(1, 12)}`,
      },
    });
  }

  #runId(runTime: Date): string {
    const stamp = `${runTime.getUTCFullYear()}${pad(runTime.getUTCMonth() + 1)}${pad(runTime.getUTCDate())}_${pad(
      runTime.getUTCHours(),
    )}${pad(runTime.getUTCMinutes())}${pad(runTime.getUTCSeconds())}`;
    for (;;) {
      const id = `run_${stamp}_${this.#random.hex(8)}`;
      if (!this.#usedIds.has(id)) {
        this.#usedIds.add(id);
        return id;
      }
    }
  }

  /** Chooses which validators fail or error so the outcome matches `status`. */
  #validatorResults(suite: readonly ValidatorSpec[], status: ResultStatus, rows: number): ValidatorResult[] {
    const r = this.#random;
    const failing = new Map<number, "fail" | "error">();
    const indexesWith = (severities: readonly Severity[]) =>
      suite.flatMap((spec, index) => (severities.includes(spec.severity) ? [index] : []));
    const failSome = (pool: number[], count: number) => {
      for (let i = 0; i < count && pool.length > 0; i++) failing.set(r.pick(pool), "fail");
    };
    if (status === "warning") failSome(indexesWith(["medium", "low"]), r.int(1, 4));
    if (status === "failure") {
      failSome(indexesWith(["critical", "high"]), r.int(1, 3));
      failSome(indexesWith(["medium", "low"]), r.int(0, 6));
    }
    if (status === "error") {
      for (let i = r.int(1, 2); i > 0; i--) failing.set(r.int(0, suite.length - 1), "error");
      failSome(indexesWith(["medium", "low"]), r.int(0, 3));
    }
    return suite.map((spec, index) => {
      const outcome = failing.get(index);
      if (outcome === "fail") return this.#failed(spec, rows);
      if (outcome === "error") return this.#errored(spec);
      return this.#passed(spec, rows);
    });
  }

  #passed(spec: ValidatorSpec, rows: number): ValidatorResult {
    return new ValidatorResult({
      validatorName: spec.validatorName,
      success: true,
      column: spec.column,
      issueType: spec.kind,
      details: { checked_rows: rows, threshold: this.#threshold(spec) },
      executionTimeMs: round3(0.2 + this.#random.next() * 40),
    });
  }

  #failed(spec: ValidatorSpec, rows: number): ValidatorResult {
    const r = this.#random;
    const count = Math.max(1, Math.floor(rows * r.next() * (spec.severity === "critical" ? 0.002 : 0.02)));
    const where = spec.column === null ? "the table" : `column '${spec.column}'`;
    return new ValidatorResult({
      validatorName: spec.validatorName,
      success: false,
      column: spec.column,
      issueType: spec.kind,
      count,
      severity: spec.severity,
      message: `${spec.validatorName} failed on ${where}: ${count} of ${rows} rows violate the expectation`,
      details: {
        expected: this.#threshold(spec),
        actual: round3(count / rows),
        sample_values: Array.from({ length: Math.min(5, count) }, () => this.#sampleValue(spec.columnKind)),
      },
      executionTimeMs: round3(0.5 + r.next() * 120),
    });
  }

  #errored(spec: ValidatorSpec): ValidatorResult {
    return new ValidatorResult({
      validatorName: spec.validatorName,
      success: false,
      column: spec.column,
      issueType: "execution_error",
      severity: "critical",
      message: this.#random.pick(ERROR_MESSAGES),
      details: { exception: "ValidatorExecutionError", validator: spec.validatorName },
      executionTimeMs: round3(1000 + this.#random.next() * 29_000),
    });
  }

  #threshold(spec: ValidatorSpec): string {
    if (spec.kind.startsWith("drift")) return "psi < 0.2";
    if (spec.kind === "range_check") return "0 <= value <= 1000000";
    if (spec.kind === "null_check") return "null_ratio <= 0.01";
    if (spec.kind === "unique_check") return "duplicates == 0";
    return "no violations";
  }

  #sampleValue(kind: ColumnKind | "table"): string | number | null {
    const r = this.#random;
    switch (kind) {
      case "email":
        return r.pick(["john.doe@", "n/a", "test@test", "ana@example..com", "bob@@mail.org"]);
      case "number":
        return r.pick([-1, 0, 9_999_999, Math.round(r.next() * 1e9) / 100]);
      case "date":
        return r.pick(["2099-01-01", "0000-00-00", "31/12/2024", "yesterday"]);
      case "boolean":
        return r.pick(["Y", "yes", "2", null]);
      case "category":
        return r.pick(["UNKNOWN", "xx", "", "N/A"]);
      case "id":
        return r.pick([null, "", `dup-${r.hex(6)}`]);
      case "string":
        return r.pick(["  padded  ", "", "\u00e9t\u00e9", "x".repeat(r.int(80, 120))]);
      case "table":
        return null;
    }
  }

  #statistics(results: readonly ValidatorResult[], rows: number, columns: number): ResultStatistics {
    const stats = new ResultStatistics({
      totalValidators: results.length,
      totalRows: rows,
      totalColumns: columns,
    });
    let executionTimeMs = 0;
    for (const result of results) {
      executionTimeMs += result.executionTimeMs;
      if (result.success) {
        stats.passedValidators++;
        continue;
      }
      if (result.issueType === "execution_error") stats.errorValidators++;
      else stats.failedValidators++;
      stats.totalIssues++;
      if (result.severity === "critical") stats.criticalIssues++;
      else if (result.severity === "high") stats.highIssues++;
      else if (result.severity === "medium") stats.mediumIssues++;
      else stats.lowIssues++;
    }
    stats.executionTimeMs = round3(executionTimeMs);
    return stats;
  }
}

/** Convenience: `count` results from a fresh generator. */
export function generateResults(count: number, options?: ResultGeneratorOptions): ValidationResult[] {
  return new ResultGenerator(options).take(count);
}
