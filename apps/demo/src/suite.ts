import type { AssetProfile, ColumnKind } from "./catalog.js";

export type Severity = "critical" | "high" | "medium" | "low";

/** One check of an asset's suite: which validator, on which column (null for table-level), how serious. */
export interface ValidatorSpec {
  validatorName: string;
  column: string | null;
  severity: Severity;
  kind: string;
  columnKind: ColumnKind | "table";
}

const COLUMN_CHECKS: Record<ColumnKind, ReadonlyArray<readonly [string, Severity]>> = {
  id: [
    ["null_check", "critical"],
    ["unique_check", "critical"],
    ["type_check", "high"],
    ["format_check", "medium"],
  ],
  string: [
    ["null_check", "medium"],
    ["length_check", "low"],
    ["pattern_check", "medium"],
    ["whitespace_check", "low"],
  ],
  email: [
    ["null_check", "high"],
    ["email_format", "high"],
    ["unique_check", "medium"],
    ["domain_check", "low"],
  ],
  number: [
    ["null_check", "high"],
    ["range_check", "high"],
    ["outlier_zscore", "medium"],
    ["mean_between", "medium"],
    ["negative_values", "high"],
  ],
  date: [
    ["null_check", "high"],
    ["date_format", "high"],
    ["future_dates", "medium"],
    ["freshness", "high"],
  ],
  category: [
    ["null_check", "medium"],
    ["allowed_values", "high"],
    ["cardinality_check", "low"],
  ],
  boolean: [
    ["null_check", "medium"],
    ["type_check", "high"],
    ["ratio_check", "low"],
  ],
};

const TABLE_CHECKS: ReadonlyArray<readonly [string, Severity]> = [
  ["row_count", "critical"],
  ["schema_match", "critical"],
  ["duplicate_rows", "high"],
  ["column_count", "high"],
  ["table_freshness", "high"],
];

/** Monitoring checks repeated over several windows, used to grow a suite to its configured size. */
const TREND_CHECKS: ReadonlyArray<readonly [string, Severity]> = [
  ["completeness_trend_1d", "low"],
  ["completeness_trend_7d", "low"],
  ["drift_psi_1d", "low"],
  ["drift_psi_7d", "medium"],
  ["drift_psi_30d", "low"],
  ["drift_ks_7d", "low"],
  ["drift_ks_30d", "low"],
  ["volume_anomaly_7d", "medium"],
  ["null_rate_anomaly_30d", "low"],
  ["distinct_count_trend_7d", "low"],
];

/** The asset's suite: column checks, table checks, then trend checks until `suiteSize` validators. */
export function buildSuite(asset: AssetProfile): ValidatorSpec[] {
  const specs: ValidatorSpec[] = [];
  for (const [kind, severity] of TABLE_CHECKS) {
    specs.push({ validatorName: kind, column: null, severity, kind, columnKind: "table" });
  }
  for (const column of asset.columns) {
    for (const [kind, severity] of COLUMN_CHECKS[column.kind]) {
      specs.push({ validatorName: kind, column: column.name, severity, kind, columnKind: column.kind });
    }
  }
  outer: for (const [kind, severity] of TREND_CHECKS) {
    for (const column of asset.columns) {
      if (specs.length >= asset.suiteSize) break outer;
      specs.push({ validatorName: kind, column: column.name, severity, kind, columnKind: column.kind });
    }
  }
  if (specs.length < asset.suiteSize) {
    throw new RangeError(
      `asset ${asset.name}: only ${specs.length} checks available for suiteSize ${asset.suiteSize}`,
    );
  }
  return specs.slice(0, asset.suiteSize);
}
