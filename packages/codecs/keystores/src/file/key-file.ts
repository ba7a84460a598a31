import type { KeyObject } from "node:crypto";
import { StoreIntegrityError } from "@truthound/store-core";
import type { KeyRecord } from "../key-record.js";
import { recordFromJson, recordToJson } from "../record-codec.js";
import { open, seal } from "./aes-gcm.js";
import { base64Field, parseJsonObject, requireExactFields } from "./json-file.js";

/**
 * Key file format 1, one file per key id, UTF-8 JSON:
 *   {"format":"truthound-key","version":1,"keyId":…,"revision":…,"nonce":base64(12),"ciphertext":base64}
 * `ciphertext` is AES-256-GCM under the store's KEK of the record JSON (all versions, their metadata and key
 * bytes), tag appended. The AAD is the JSON array ["truthound-key",1,keyId,revision], so a file cannot be
 * renamed to another key id or have its visible revision changed without failing authentication.
 */
export const KEY_FILE_FORMAT = "truthound-key";
export const KEY_FILE_VERSION = 1;
const FIELDS = ["format", "version", "keyId", "revision", "nonce", "ciphertext"] as const;

function aad(keyId: string, revision: number): Buffer {
  return Buffer.from(JSON.stringify([KEY_FILE_FORMAT, KEY_FILE_VERSION, keyId, revision]), "utf8");
}

export function encodeKeyFile(kek: KeyObject, record: KeyRecord): Buffer {
  const plaintext = Buffer.from(JSON.stringify(recordToJson(record)), "utf8");
  try {
    const sealed = seal(kek, plaintext, aad(record.keyId, record.revision));
    return Buffer.from(
      JSON.stringify({
        format: KEY_FILE_FORMAT,
        version: KEY_FILE_VERSION,
        keyId: record.keyId,
        revision: record.revision,
        nonce: sealed.nonce.toString("base64"),
        ciphertext: sealed.ciphertext.toString("base64"),
      }),
      "utf8",
    );
  } finally {
    plaintext.fill(0);
  }
}

/** Authenticates and parses a key file that should hold `expectedKeyId`; every deviation is INTEGRITY. */
export function decodeKeyFile(
  kek: KeyObject,
  bytes: Uint8Array,
  expectedKeyId: string,
  what: string,
): KeyRecord {
  const file = parseJsonObject(bytes, what);
  requireExactFields(file, FIELDS, what);
  if (file.format !== KEY_FILE_FORMAT) throw new StoreIntegrityError(`${what}: not a key file`);
  if (file.version !== KEY_FILE_VERSION) {
    throw new StoreIntegrityError(
      `${what}: key file format version ${JSON.stringify(file.version)} is not supported`,
    );
  }
  const { keyId, revision } = file;
  if (keyId !== expectedKeyId) {
    throw new StoreIntegrityError(
      `${what}: the file holds key ${JSON.stringify(keyId)}, not ${JSON.stringify(expectedKeyId)}`,
    );
  }
  if (typeof revision !== "number" || !Number.isSafeInteger(revision) || revision < 1) {
    throw new StoreIntegrityError(`${what}: revision must be a positive integer`);
  }
  const sealed = {
    nonce: base64Field(file, "nonce", what),
    ciphertext: base64Field(file, "ciphertext", what),
  };
  const plaintext = open(kek, sealed, aad(expectedKeyId, revision), what);
  try {
    const record = recordFromJson(parseJsonObject(plaintext, what), what);
    if (record.keyId !== expectedKeyId || record.revision !== revision) {
      throw new StoreIntegrityError(`${what}: sealed record does not match the file header`);
    }
    return record;
  } finally {
    plaintext.fill(0);
  }
}
