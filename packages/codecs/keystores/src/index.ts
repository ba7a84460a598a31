export type { KeyAlgorithm } from "./algorithms.js";
export { isKeyAlgorithm, KEY_ALGORITHMS, KEY_SIZES } from "./algorithms.js";
export type { EnvironmentKeyStoreOptions } from "./environment-key-store.js";
export { EnvironmentKeyStore } from "./environment-key-store.js";
export type { FileKeyStoreOptions } from "./file/file-key-store.js";
export { FileKeyStore } from "./file/file-key-store.js";
export { InMemoryKeyStore } from "./in-memory-key-store.js";
export { KeyExpiredError } from "./key-errors.js";
export type {
  CreateKeyOptions,
  KeyAuditAction,
  KeyAuditEvent,
  KeyInfo,
  KeyManagerOptions,
  KeyVersionInfo,
  RotateKeyOptions,
} from "./key-manager.js";
export { KeyManager } from "./key-manager.js";
export type { KeyRecord, KeyVersionRecord } from "./key-record.js";
export type { KeyStore } from "./key-store.js";
