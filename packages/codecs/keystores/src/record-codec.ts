import { isPlainObject, StoreIntegrityError, validateId } from "@truthound/store-core";
import { isKeyAlgorithm, KEY_SIZES } from "./algorithms.js";
import { decodeCanonicalBase64 } from "./base64.js";
import type { KeyRecord, KeyVersionRecord } from "./key-record.js";

/** Most versions one key may accumulate; rotation beyond this needs old versions retired first. */
export const MAX_KEY_VERSIONS = 10_000;

/** The JSON form of a record, with key bytes as base64 and absent optional fields as null. */
export function recordToJson(record: KeyRecord): unknown {
  return {
    keyId: record.keyId,
    revision: record.revision,
    versions: record.versions.map((v) => ({
      version: v.version,
      algorithm: v.algorithm,
      createdAt: v.createdAt,
      expiresAt: v.expiresAt ?? null,
      retiredAt: v.retiredAt ?? null,
      key: v.key ? Buffer.from(v.key).toString("base64") : null,
    })),
  };
}

const corrupt = (where: string, message: string): never => {
  throw new StoreIntegrityError(`${where}: ${message}`);
};

function exactKeys(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) corrupt(where, `unexpected field "${key}"`);
  for (const key of keys) if (!Object.hasOwn(value, key)) corrupt(where, `missing field "${key}"`);
}

function timestamp(value: unknown, where: string, field: string): number | undefined {
  if (value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    return corrupt(where, `${field} must be a non-negative integer or null`);
  }
  return value;
}

function versionFromJson(value: unknown, where: string): KeyVersionRecord {
  if (!isPlainObject(value)) return corrupt(where, "a version must be an object");
  exactKeys(value, ["version", "algorithm", "createdAt", "expiresAt", "retiredAt", "key"], where);
  const { version, algorithm, key } = value;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    return corrupt(where, "version must be a positive integer");
  }
  if (!isKeyAlgorithm(algorithm)) return corrupt(where, `unknown algorithm ${JSON.stringify(algorithm)}`);
  const createdAt = timestamp(value.createdAt, where, "createdAt");
  if (createdAt === undefined) return corrupt(where, "createdAt must not be null");
  const expiresAt = timestamp(value.expiresAt, where, "expiresAt");
  const retiredAt = timestamp(value.retiredAt, where, "retiredAt");
  const out: KeyVersionRecord = { version, algorithm, createdAt };
  if (expiresAt !== undefined) out.expiresAt = expiresAt;
  if (retiredAt !== undefined) out.retiredAt = retiredAt;
  if (key === null) {
    if (retiredAt === undefined) corrupt(where, `version ${version} has no key material but is not retired`);
  } else {
    const bytes = typeof key === "string" ? decodeCanonicalBase64(key) : undefined;
    if (bytes === undefined) return corrupt(where, "key must be base64");
    if (bytes.length !== KEY_SIZES[algorithm]) {
      corrupt(
        where,
        `version ${version}: ${algorithm} needs ${KEY_SIZES[algorithm]} key bytes, found ${bytes.length}`,
      );
    }
    if (retiredAt !== undefined) corrupt(where, `retired version ${version} still has key material`);
    out.key = new Uint8Array(bytes);
    bytes.fill(0);
  }
  return out;
}

/** Parses and checks the JSON form of a record read back from storage; anything malformed is INTEGRITY. */
export function recordFromJson(value: unknown, where: string): KeyRecord {
  if (!isPlainObject(value)) return corrupt(where, "a key record must be an object");
  exactKeys(value, ["keyId", "revision", "versions"], where);
  const { keyId, revision, versions } = value;
  try {
    validateId(keyId, "keyId");
  } catch (cause) {
    throw new StoreIntegrityError(`${where}: invalid key id`, { cause });
  }
  if (typeof revision !== "number" || !Number.isSafeInteger(revision) || revision < 1) {
    return corrupt(where, "revision must be a positive integer");
  }
  if (!Array.isArray(versions) || versions.length === 0 || versions.length > MAX_KEY_VERSIONS) {
    return corrupt(where, `versions must be a list of 1 to ${MAX_KEY_VERSIONS} entries`);
  }
  const parsed = versions.map((v) => versionFromJson(v, where));
  parsed.forEach((v, i) => {
    if (i > 0 && v.version <= (parsed[i - 1] as KeyVersionRecord).version) {
      corrupt(where, "versions must be strictly ascending");
    }
  });
  return { keyId: keyId as string, revision, versions: parsed };
}
