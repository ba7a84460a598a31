import {
  generateRunId,
  ResultStatistics,
  type ResultStatus,
  ValidationResult,
  type ValidationResultInit,
  ValidatorResult,
} from "@truthound/store-core";
import { SeededRandom } from "./random.js";

const VALIDATORS = [
  "null_check",
  "unique",
  "range",
  "regex",
  "type_check",
  "in_set",
  "freshness",
  "completeness",
  "referential_integrity",
  "outlier_iqr",
] as const;
const COLUMNS = ["id", "email", "created_at", "amount", "country", "status", "customer_id", "phone"] as const;
const FAILURE_SEVERITIES = ["critical", "high"] as const;
const WARNING_SEVERITIES = ["medium", "low"] as const;

export const DEFAULT_ASSETS = ["customers.csv", "orders.parquet", "events.jsonl"] as const;
export const DEFAULT_TAGS: Record<string, readonly string[]> = {
  env: ["prod", "staging", "dev"],
  team: ["growth", "billing"],
};
const DEFAULT_START = Date.UTC(2024, 0, 1);

export interface MakeResultOptions extends Partial<ValidationResultInit> {
  /** Number of validator outcomes to generate when `results` is not given. Default 5. */
  validators?: number;
  /** Seed for the generated validator outcomes. */
  seed?: number;
}

/** Validator outcomes and matching statistics for a run of `status`. */
function makeOutcomes(
  status: ResultStatus,
  count: number,
  random: SeededRandom,
): { results: ValidatorResult[]; statistics: ResultStatistics } {
  const failing = status === "success" ? 0 : Math.max(1, Math.floor(count * random.next() * 0.5));
  const results: ValidatorResult[] = [];
  const severityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  let totalIssues = 0;
  for (let i = 0; i < count; i++) {
    const validatorName = VALIDATORS[i % VALIDATORS.length] as string;
    const column = COLUMNS[(i * 3) % COLUMNS.length] as string;
    const fails = i < failing;
    const executionTimeMs = Math.round(random.next() * 5000) / 100;
    if (!fails) {
      results.push(
        new ValidatorResult({
          validatorName,
          success: true,
          column,
          issueType: validatorName,
          executionTimeMs,
        }),
      );
      continue;
    }
    const severity =
      status === "failure" || status === "error"
        ? random.pick(FAILURE_SEVERITIES)
        : random.pick(WARNING_SEVERITIES);
    const issues = random.int(1, 250);
    severityCounts[severity] += 1;
    totalIssues += issues;
    results.push(
      new ValidatorResult({
        validatorName,
        success: false,
        column,
        issueType: validatorName,
        count: issues,
        severity,
        message: `${issues} rows of '${column}' failed ${validatorName}`,
        details: {
          expected: "valid value",
          actual: `${issues} invalid`,
          sample_values: [`v${issues}`, null, issues],
        },
        executionTimeMs,
      }),
    );
  }
  const totalRows = random.int(1_000, 1_000_000);
  const statistics = new ResultStatistics({
    totalValidators: count,
    passedValidators: count - failing,
    failedValidators: status === "error" ? 0 : failing,
    errorValidators: status === "error" ? failing : 0,
    totalRows,
    totalColumns: COLUMNS.length,
    totalIssues,
    criticalIssues: severityCounts.critical,
    highIssues: severityCounts.high,
    mediumIssues: severityCounts.medium,
    lowIssues: severityCounts.low,
    executionTimeMs: results.reduce((sum, r) => sum + r.executionTimeMs, 0),
  });
  return { results, statistics };
}

/**
 * One realistic validation result; every field can be overridden. Without `runId` it gets a fresh Python-style
 * run id, so two calls never collide.
 */
export function makeResult(overrides: MakeResultOptions = {}): ValidationResult {
  const { validators = 5, seed, ...init } = overrides;
  const random = new SeededRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
  const status = init.status ?? "success";
  const runTime = init.runTime ?? new Date(DEFAULT_START);
  const generated = makeOutcomes(status, validators, random);
  return new ValidationResult({
    ...init,
    runId:
      init.runId ??
      generateRunId(new Date(typeof runTime === "number" ? runTime : new Date(runTime).getTime())),
    runTime,
    dataAsset: init.dataAsset ?? DEFAULT_ASSETS[0],
    status,
    results: init.results ?? generated.results,
    statistics: init.statistics ?? generated.statistics,
    tags: init.tags ?? { env: "prod" },
    metadata: init.metadata ?? { source: "testkit", pipeline: "nightly" },
    suiteName: init.suiteName === undefined ? "default_suite" : init.suiteName,
    runtimeEnvironment: init.runtimeEnvironment ?? { python: "3.11", truthound: "3.2.0", host: "worker-1" },
  });
}

export interface MakeResultsOptions {
  /** Data assets to spread the results over. */
  assets?: readonly string[];
  /** Run time of the first result. Default 2024-01-01T00:00:00Z. */
  start?: Date | number;
  /** Time between consecutive results; 0 gives every result the same run time. Default one hour. */
  stepMs?: number;
  statuses?: readonly ResultStatus[];
  /** Relative weights of `statuses`. Default: mostly success, some failures, few warnings and errors. */
  statusWeights?: readonly number[];
  /** Validators per result, as a fixed number or an inclusive range. Default [3, 12]. */
  validators?: number | readonly [number, number];
  /** Tag name to possible values; each result gets one value per tag. */
  tags?: Record<string, readonly string[]>;
  seed?: number;
}

/**
 * `n` realistic results with distinct Python-style run ids, run times increasing by `stepMs`, and assets,
 * statuses, tags and validators drawn from a seeded generator (the same seed gives the same results).
 */
export function makeResults(n: number, options: MakeResultsOptions = {}): ValidationResult[] {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`makeResults: n must be a non-negative integer, got ${n}`);
  const seed = (options.seed ?? 1) >>> 0;
  const random = new SeededRandom(seed);
  const assets = options.assets ?? DEFAULT_ASSETS;
  const statuses = options.statuses ?? (["success", "failure", "warning", "error"] as const);
  const weights = options.statusWeights ?? (options.statuses ? statuses.map(() => 1) : [60, 25, 10, 5]);
  const start =
    typeof options.start === "number" ? options.start : (options.start?.getTime() ?? DEFAULT_START);
  const stepMs = options.stepMs ?? 3_600_000;
  const [minValidators, maxValidators] =
    typeof options.validators === "number"
      ? [options.validators, options.validators]
      : (options.validators ?? [3, 12]);
  const tagSpec = options.tags ?? DEFAULT_TAGS;
  const out: ValidationResult[] = [];
  for (let i = 0; i < n; i++) {
    const runTime = start + i * stepMs;
    const status = random.weighted(statuses, weights);
    const tags: Record<string, string> = {};
    for (const [name, values] of Object.entries(tagSpec)) tags[name] = random.pick(values);
    out.push(
      makeResult({
        runId: pythonRunId(runTime, i, seed),
        runTime,
        dataAsset: random.pick(assets),
        status,
        tags,
        validators: random.int(minValidators, maxValidators),
        seed: random.int(0, 2 ** 31),
        metadata: { source: "testkit", batch: i, rows_scanned: random.int(100, 100_000) },
      }),
    );
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `run_YYYYMMDD_HHMMSS_<8 hex>` with a suffix that is distinct for every index under one seed. */
function pythonRunId(runTimeMs: number, index: number, seed: number): string {
  const d = new Date(runTimeMs);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  // Multiplying by an odd constant is a bijection on 32-bit integers, so indexes never collide.
  const suffix = ((Math.imul(index, 0x9e3779b1) ^ seed) >>> 0).toString(16).padStart(8, "0");
  return `run_${date}_${time}_${suffix}`;
}
