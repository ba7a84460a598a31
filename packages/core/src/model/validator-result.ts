import { StoreSerializationError } from "../errors.js";
import { extraKeys, isPlainObject } from "./json.js";

export interface ValidatorResultInit {
  validatorName: string;
  success: boolean;
  column?: string | null;
  issueType?: string | null;
  count?: number;
  severity?: string | null;
  message?: string | null;
  details?: Record<string, unknown>;
  executionTimeMs?: number;
  /** Keys this version does not know; kept so they survive a round trip. */
  extra?: Record<string, unknown>;
}

const KEYS = [
  "validator_name",
  "success",
  "column",
  "issue_type",
  "count",
  "severity",
  "message",
  "details",
  "execution_time_ms",
] as const;

/** The outcome of one validator in a run. */
export class ValidatorResult {
  validatorName: string;
  success: boolean;
  column: string | null;
  issueType: string | null;
  count: number;
  severity: string | null;
  message: string | null;
  details: Record<string, unknown>;
  executionTimeMs: number;
  extra: Record<string, unknown>;

  constructor(init: ValidatorResultInit) {
    this.validatorName = init.validatorName;
    this.success = init.success;
    this.column = init.column ?? null;
    this.issueType = init.issueType ?? null;
    this.count = init.count ?? 0;
    this.severity = init.severity ?? null;
    this.message = init.message ?? null;
    this.details = init.details ?? {};
    this.executionTimeMs = init.executionTimeMs ?? 0;
    this.extra = init.extra ?? {};
  }

  toDict(): Record<string, unknown> {
    return {
      validator_name: this.validatorName,
      success: this.success,
      column: this.column,
      issue_type: this.issueType,
      count: this.count,
      severity: this.severity,
      message: this.message,
      details: this.details,
      execution_time_ms: this.executionTimeMs,
      ...this.extra,
    };
  }

  static fromDict(data: unknown): ValidatorResult {
    if (!isPlainObject(data)) throw new StoreSerializationError("A validator result must be a JSON object");
    if (typeof data.validator_name !== "string") {
      throw new StoreSerializationError(
        "validator result: 'validator_name' is required and must be a string",
      );
    }
    if (typeof data.success !== "boolean") {
      throw new StoreSerializationError("validator result: 'success' is required and must be a boolean");
    }
    return new ValidatorResult({
      validatorName: data.validator_name,
      success: data.success,
      column: (data.column as string | null | undefined) ?? null,
      issueType: (data.issue_type as string | null | undefined) ?? null,
      count: typeof data.count === "number" ? data.count : 0,
      severity: (data.severity as string | null | undefined) ?? null,
      message: (data.message as string | null | undefined) ?? null,
      details: isPlainObject(data.details) ? data.details : {},
      executionTimeMs: typeof data.execution_time_ms === "number" ? data.execution_time_ms : 0,
      extra: extraKeys(data, KEYS),
    });
  }
}
