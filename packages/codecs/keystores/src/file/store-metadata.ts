import { createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import {
  deriveKey,
  describeDerivation,
  type KdfDescriptor,
  type KdfParams,
  parseKdfDescriptor,
  rederiveKey,
} from "@truthound/codec-kdf";
import { StoreConfigurationError, StoreIntegrityError } from "@truthound/store-core";
import { open, seal } from "./aes-gcm.js";
import { base64Field, parseJsonObject, requireExactFields } from "./json-file.js";

/**
 * `keystore.json`, format 1:
 *   {"format":"truthound-keystore","version":1,"protection":"password"|"master-key","kdf":KdfDescriptor,
 *    "nonce":base64(12),"check":base64}
 * The KEK is Argon2id(master password) or HKDF-SHA256(master key, info "truthound-keystore/v1 kek"), as the
 * descriptor says. `check` seals a fixed block under the KEK with every other field as AAD, so a wrong
 * password, a wrong master key and an edited parameter all fail before any key file is read or written.
 */
export const METADATA_FORMAT = "truthound-keystore";
export const METADATA_VERSION = 1;
const FIELDS = ["format", "version", "protection", "kdf", "nonce", "check"] as const;
const CHECK_BLOCK = Buffer.from("truthound-keystore/v1 master key check.", "utf8");
const KEK_INFO = Buffer.from("truthound-keystore/v1 kek", "utf8").toString("base64");

export type Protection =
  | { kind: "password"; secret: Uint8Array; kdfParams: Partial<KdfParams> | undefined }
  | { kind: "master-key"; secret: Uint8Array };

const protectionName = (p: Protection) => p.kind;

function aad(protection: string, kdf: KdfDescriptor): Buffer {
  const params = Object.keys(kdf.params)
    .sort()
    .map((name) => [name, kdf.params[name]]);
  return Buffer.from(
    JSON.stringify([METADATA_FORMAT, METADATA_VERSION, protection, kdf.kdf, params, kdf.salt, kdf.length]),
    "utf8",
  );
}

/** Makes a new store's metadata and its KEK. */
export async function createMetadata(protection: Protection): Promise<{ bytes: Buffer; kek: KeyObject }> {
  const derived =
    protection.kind === "password"
      ? await deriveKey(protection.secret, { kdf: "argon2id", params: protection.kdfParams, length: 32 })
      : await deriveKey(protection.secret, { kdf: "hkdf-sha256", params: { info: KEK_INFO }, length: 32 });
  const descriptor = describeDerivation(derived);
  const kek = createSecretKey(derived.key);
  derived.key.fill(0);
  const sealed = seal(kek, CHECK_BLOCK, aad(protection.kind, descriptor));
  const bytes = Buffer.from(
    JSON.stringify({
      format: METADATA_FORMAT,
      version: METADATA_VERSION,
      protection: protection.kind,
      kdf: descriptor,
      nonce: sealed.nonce.toString("base64"),
      check: sealed.ciphertext.toString("base64"),
    }),
    "utf8",
  );
  return { bytes, kek };
}

/** Reads existing metadata and returns the KEK, or fails: INTEGRITY for a wrong secret or altered metadata. */
export async function openMetadata(
  bytes: Uint8Array,
  protection: Protection,
  what: string,
): Promise<KeyObject> {
  const file = parseJsonObject(bytes, what);
  requireExactFields(file, FIELDS, what);
  if (file.format !== METADATA_FORMAT) throw new StoreIntegrityError(`${what}: not key store metadata`);
  if (file.version !== METADATA_VERSION) {
    throw new StoreIntegrityError(
      `${what}: key store format version ${JSON.stringify(file.version)} is not supported`,
    );
  }
  if (file.protection !== "password" && file.protection !== "master-key") {
    throw new StoreIntegrityError(`${what}: unknown protection ${JSON.stringify(file.protection)}`);
  }
  if (file.protection !== protectionName(protection)) {
    throw new StoreConfigurationError(
      `${what}: this key store is protected by a ${file.protection === "password" ? "master password" : "master key"}, but a ${protection.kind === "password" ? "master password" : "master key"} was given`,
      { details: { field: protection.kind === "password" ? "masterPassword" : "masterKey" } },
    );
  }
  const descriptor = parseKdfDescriptor(file.kdf);
  const expectedKdf = protection.kind === "password" ? "argon2id" : "hkdf-sha256";
  if (descriptor.kdf !== expectedKdf) {
    throw new StoreIntegrityError(
      `${what}: ${file.protection} protection must use ${expectedKdf}, found ${descriptor.kdf}`,
    );
  }
  if (descriptor.length !== 32) throw new StoreIntegrityError(`${what}: the KEK must be 32 bytes`);
  const sealed = { nonce: base64Field(file, "nonce", what), ciphertext: base64Field(file, "check", what) };
  const keyBytes = await rederiveKey(protection.secret, descriptor);
  const kek = createSecretKey(keyBytes);
  keyBytes.fill(0);
  const block = open(kek, sealed, aad(file.protection, descriptor), what);
  if (block.length !== CHECK_BLOCK.length || !timingSafeEqual(block, CHECK_BLOCK)) {
    throw new StoreIntegrityError(`${what}: master key check failed`);
  }
  return kek;
}
