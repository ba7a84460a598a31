import { isPlainObject, StoreIntegrityError } from "@truthound/store-core";
import { decodeCanonicalBase64 } from "../base64.js";

/** Parses a stored JSON object; anything else is INTEGRITY. */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new StoreIntegrityError(`${what}: not valid JSON`, { cause });
  }
  if (!isPlainObject(value)) throw new StoreIntegrityError(`${what}: expected a JSON object`);
  return value;
}

export function requireExactFields(
  value: Record<string, unknown>,
  fields: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) throw new StoreIntegrityError(`${what}: unexpected field "${key}"`);
  }
  for (const key of fields) {
    if (!Object.hasOwn(value, key)) throw new StoreIntegrityError(`${what}: missing field "${key}"`);
  }
}

export function base64Field(value: Record<string, unknown>, field: string, what: string): Buffer {
  const text = value[field];
  const bytes = typeof text === "string" ? decodeCanonicalBase64(text) : undefined;
  if (bytes === undefined) throw new StoreIntegrityError(`${what}: ${field} must be canonical padded base64`);
  return bytes;
}
