import { isStoreError, StoreConfigurationError } from "./errors.js";
import { isPlainObject } from "./model/json.js";

export type OptionType = "string" | "number" | "boolean" | "object" | "function" | "array" | "any";

export interface OptionSpec {
  type: OptionType;
  required?: boolean;
  /** Allowed values. */
  oneOf?: readonly unknown[];
  integer?: boolean;
  min?: number;
  max?: number;
  /** Extra check; return an error message, or throw, to reject. */
  check?: (value: unknown) => string | undefined;
}

export type OptionsSpec<T> = { [K in keyof T]-?: OptionSpec };

function typeOf(value: unknown): OptionType {
  if (Array.isArray(value)) return "array";
  if (typeof value === "function") return "function";
  if (typeof value === "object" && value !== null) return "object";
  return typeof value as OptionType;
}

/**
 * Validates an options object against its spec: unknown keys and values of the wrong type are a
 * `CONFIGURATION` error naming the field, never silently dropped. `undefined` counts as absent.
 */
export function validateOptions<T extends object>(owner: string, input: unknown, spec: OptionsSpec<T>): T {
  if (input === undefined) input = {};
  if (!isPlainObject(input)) throw new StoreConfigurationError(`${owner}: options must be an object`);
  const specs = spec as Record<string, OptionSpec>;
  for (const key of Object.keys(input)) {
    if (!(key in specs)) {
      const known = Object.keys(specs).sort().join(", ");
      throw new StoreConfigurationError(`${owner}: unknown option '${key}' (known options: ${known})`, {
        details: { field: key },
      });
    }
  }
  for (const [key, rule] of Object.entries(specs)) {
    const value = input[key];
    const fail = (why: string): never => {
      throw new StoreConfigurationError(`${owner}: option '${key}' ${why}`, { details: { field: key } });
    };
    if (value === undefined) {
      if (rule.required) fail("is required");
      continue;
    }
    const actual = typeOf(value);
    if (rule.type !== "any" && actual !== rule.type) fail(`must be a ${rule.type}, got ${actual}`);
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      fail(
        `must be one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`,
      );
    }
    if (typeof value === "number") {
      if (!Number.isFinite(value)) fail("must be a finite number");
      if (rule.integer && !Number.isInteger(value)) fail("must be an integer");
      if (rule.min !== undefined && value < rule.min) fail(`must be >= ${rule.min}`);
      if (rule.max !== undefined && value > rule.max) fail(`must be <= ${rule.max}`);
    }
    if (rule.check) {
      let message: string | undefined;
      try {
        message = rule.check(value);
      } catch (error) {
        message = isStoreError(error) || error instanceof Error ? error.message : String(error);
      }
      if (message !== undefined) fail(message);
    }
  }
  return input as T;
}
