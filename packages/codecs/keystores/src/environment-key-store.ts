import {
  compareCodePoints,
  StoreConfigurationError,
  validateId,
  validateOptions,
} from "@truthound/store-core";
import { isKeyAlgorithm, KEY_ALGORITHMS, KEY_SIZES } from "./algorithms.js";
import { decodeCanonicalBase64 } from "./base64.js";
import { cloneRecord, type KeyRecord, type KeyVersionRecord } from "./key-record.js";
import type { KeyStore } from "./key-store.js";
import { keyNotFound, readOnly } from "./store-errors.js";

export interface EnvironmentKeyStoreOptions {
  /** Variable name prefix; default "TRUTHOUND_KEY_". */
  prefix?: string;
  /** Where to read variables; default `process.env`, read once when the store is constructed. */
  env?: Record<string, string | undefined>;
}

const VERSION_SUFFIX = /^(.+)_V([1-9][0-9]{0,8})$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function decodeMaterial(variable: string, encoding: string, text: string): Buffer {
  const fail = (why: string): never => {
    throw new StoreConfigurationError(`EnvironmentKeyStore: ${variable} ${why}`, {
      details: { field: variable },
    });
  };
  if (encoding === "hex") return HEX.test(text) ? Buffer.from(text, "hex") : fail("is not valid hex");
  if (encoding === "base64") return decodeCanonicalBase64(text) ?? fail("is not valid padded base64");
  return fail(`names encoding ${JSON.stringify(encoding)}; use "base64" or "hex"`);
}

/**
 * Parses `<algorithm>:<base64|hex>:<key>`. Messages name the variable, never its value.
 */
function parseValue(variable: string, value: string, version: number): KeyVersionRecord {
  const parts = value.trim().split(":");
  if (parts.length !== 3) {
    throw new StoreConfigurationError(
      `EnvironmentKeyStore: ${variable} must look like "<algorithm>:<base64|hex>:<key>", e.g. "aes-256-gcm:base64:..."`,
      { details: { field: variable } },
    );
  }
  const [algorithm, encoding, text] = parts as [string, string, string];
  if (!isKeyAlgorithm(algorithm)) {
    throw new StoreConfigurationError(
      `EnvironmentKeyStore: ${variable} names unknown algorithm ${JSON.stringify(algorithm)} (known: ${KEY_ALGORITHMS.join(", ")})`,
      { details: { field: variable } },
    );
  }
  const key = decodeMaterial(variable, encoding, text);
  if (key.length !== KEY_SIZES[algorithm]) {
    throw new StoreConfigurationError(
      `EnvironmentKeyStore: ${variable} holds ${key.length} key bytes, ${algorithm} needs ${KEY_SIZES[algorithm]}`,
      { details: { field: variable } },
    );
  }
  return { version, algorithm, createdAt: 0, key: new Uint8Array(key) };
}

/**
 * Read-only keys from environment variables, for containers and CI. `<prefix><ID>_V<n>` holds version n of
 * key `<ID>` (`<prefix><ID>` alone is version 1) as `<algorithm>:<base64|hex>:<key>`. The current version is
 * the highest; environment keys have no expiry and no retirement. Every variable with the prefix is checked
 * when the store is constructed, so a malformed one fails at start-up with CONFIGURATION naming it.
 */
export class EnvironmentKeyStore implements KeyStore {
  readonly name = "EnvironmentKeyStore";
  readonly readOnly = true;
  readonly #records = new Map<string, KeyRecord>();

  constructor(options: EnvironmentKeyStoreOptions = {}) {
    const checked = validateOptions<EnvironmentKeyStoreOptions>("EnvironmentKeyStore", options, {
      prefix: {
        type: "string",
        check: (v) =>
          /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(v)) ? undefined : "must be a valid variable name prefix",
      },
      env: { type: "object" },
    });
    const prefix = checked.prefix ?? "TRUTHOUND_KEY_";
    const env = checked.env ?? process.env;
    const versions = new Map<string, Map<number, KeyVersionRecord>>();
    for (const variable of Object.keys(env).sort(compareCodePoints)) {
      const value = env[variable];
      if (!variable.startsWith(prefix) || value === undefined) continue;
      const rest = variable.slice(prefix.length);
      const match = VERSION_SUFFIX.exec(rest);
      const keyId = match ? (match[1] as string) : rest;
      const version = match ? Number(match[2]) : 1;
      try {
        validateId(keyId, "keyId");
      } catch (cause) {
        throw new StoreConfigurationError(`EnvironmentKeyStore: ${variable} does not name a valid key id`, {
          cause,
          details: { field: variable },
        });
      }
      const byVersion = versions.get(keyId) ?? new Map<number, KeyVersionRecord>();
      if (byVersion.has(version)) {
        throw new StoreConfigurationError(
          `EnvironmentKeyStore: version ${version} of key ${JSON.stringify(keyId)} is set twice (${prefix}${keyId} and ${prefix}${keyId}_V1)`,
          { details: { field: variable } },
        );
      }
      byVersion.set(version, parseValue(variable, value, version));
      versions.set(keyId, byVersion);
    }
    for (const [keyId, byVersion] of versions) {
      const sorted = [...byVersion.values()].sort((a, b) => a.version - b.version);
      this.#records.set(keyId, { keyId, revision: 1, versions: sorted });
    }
  }

  async get(keyId: string): Promise<KeyRecord> {
    const record = this.#records.get(keyId);
    if (!record) throw keyNotFound(this.name, keyId);
    return cloneRecord(record);
  }

  async create(): Promise<void> {
    throw readOnly(this.name, "creating a key");
  }

  async update(): Promise<void> {
    throw readOnly(this.name, "changing a key");
  }

  async delete(): Promise<void> {
    throw readOnly(this.name, "deleting a key");
  }

  async list(): Promise<string[]> {
    return [...this.#records.keys()].sort(compareCodePoints);
  }
}
