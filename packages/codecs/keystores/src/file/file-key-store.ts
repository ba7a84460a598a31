import type { KeyObject } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { KdfParams } from "@truthound/codec-kdf";
import {
  compareCodePoints,
  decodeIdSegment,
  encodeIdSegment,
  InvalidArgumentError,
  isStoreError,
  StoreClosedError,
  StoreConfigurationError,
  StoreIntegrityError,
  validateId,
  validateOptions,
} from "@truthound/store-core";
import type { KeyRecord } from "../key-record.js";
import type { KeyStore } from "../key-store.js";
import { keyExists, keyNotFound, staleRevision } from "../store-errors.js";
import {
  createFileAtomically,
  isMissing,
  mapFsError,
  readPrivateFile,
  removeFile,
  replaceFileAtomically,
} from "./atomic-file.js";
import { decodeKeyFile, encodeKeyFile } from "./key-file.js";
import { createMetadata, openMetadata, type Protection } from "./store-metadata.js";

export interface FileKeyStoreOptions {
  /** Directory of the store; created with mode 0700 when missing. */
  directory: string;
  /** Stretched with Argon2id into the key-encryption key. Exactly one of `masterPassword` and `masterKey`. */
  masterPassword?: string | Uint8Array;
  /** 32 random bytes; expanded with HKDF-SHA256 into the key-encryption key. */
  masterKey?: Uint8Array;
  /** Argon2id cost for a new password-protected store (default: codec-kdf's, OWASP m=19 MiB t=2 p=1). */
  kdfParams?: Partial<KdfParams>;
}

const METADATA_FILE = "keystore.json";
const KEYS_DIRECTORY = "keys";
const KEY_SUFFIX = ".key";
const MAX_FILE_BYTES = 16 * 1024 * 1024;

function listOrEmpty(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function protectionFrom(options: FileKeyStoreOptions): Protection {
  const { masterPassword, masterKey } = options;
  if ((masterPassword === undefined) === (masterKey === undefined)) {
    throw new StoreConfigurationError(
      "FileKeyStore: give exactly one of 'masterPassword' and 'masterKey'; keys are never stored in plaintext",
      { details: { field: "masterPassword" } },
    );
  }
  if (masterKey !== undefined) {
    if (options.kdfParams !== undefined) {
      throw new StoreConfigurationError("FileKeyStore: 'kdfParams' applies only to 'masterPassword'", {
        details: { field: "kdfParams" },
      });
    }
    if (masterKey.length !== 32) {
      throw new StoreConfigurationError(
        `FileKeyStore: 'masterKey' must be 32 bytes, got ${masterKey.length}`,
        {
          details: { field: "masterKey" },
        },
      );
    }
    return { kind: "master-key", secret: Uint8Array.from(masterKey) };
  }
  const secret =
    typeof masterPassword === "string"
      ? Buffer.from(masterPassword, "utf8")
      : Uint8Array.from(masterPassword as Uint8Array);
  if (secret.length === 0) {
    throw new StoreConfigurationError("FileKeyStore: 'masterPassword' must not be empty", {
      details: { field: "masterPassword" },
    });
  }
  return { kind: "password", secret, kdfParams: options.kdfParams };
}

/**
 * Keys encrypted at rest in a directory: `keystore.json` (format, KDF descriptor, master key check) and
 * `keys/<encoded key id>.key`, one AES-256-GCM sealed record per key id with the key id and revision as AAD.
 * Files are 0600, directories 0700, every write is atomic (temp + fsync + rename/link + directory fsync).
 * A wrong master password or key is INTEGRITY, never NOT_FOUND.
 *
 * Writers in one process are serialized (file operations are synchronous and updates check the revision).
 * Creating a key is atomic across processes; updating one key from several processes at once is not
 * coordinated, so keep one writing process per directory.
 */
export class FileKeyStore implements KeyStore {
  readonly name: string;
  readonly readOnly = false;
  readonly #directory: string;
  readonly #keysDirectory: string;
  #protection: Protection | undefined;
  #kek: KeyObject | undefined;
  #opening: Promise<KeyObject> | undefined;
  #closed = false;

  constructor(options: FileKeyStoreOptions) {
    const checked = validateOptions<FileKeyStoreOptions>("FileKeyStore", options, {
      directory: {
        type: "string",
        required: true,
        check: (v) => (String(v).length > 0 ? undefined : "must not be empty"),
      },
      masterPassword: {
        type: "any",
        check: (v) =>
          typeof v === "string" || v instanceof Uint8Array ? undefined : "must be a string or a Uint8Array",
      },
      masterKey: {
        type: "any",
        check: (v) => (v instanceof Uint8Array ? undefined : "must be a Uint8Array"),
      },
      kdfParams: { type: "object" },
    });
    this.#protection = protectionFrom(checked);
    this.#directory = resolve(checked.directory);
    this.#keysDirectory = join(this.#directory, KEYS_DIRECTORY);
    this.name = `FileKeyStore(${this.#directory})`;
  }

  get directory(): string {
    return this.#directory;
  }

  /** Derives the KEK and checks it against the store (or creates the store). Runs once; other calls wait. */
  async open(): Promise<void> {
    await this.#key();
  }

  /** Forgets the KEK and master secret; later calls fail with CLOSED. */
  close(): void {
    this.#closed = true;
    this.#kek = undefined;
    this.#protection?.secret.fill(0);
    this.#protection = undefined;
  }

  async get(keyId: string): Promise<KeyRecord> {
    const kek = await this.#key();
    return this.#read(kek, validateId(keyId, "keyId"));
  }

  async create(record: KeyRecord): Promise<void> {
    const kek = await this.#key();
    validateId(record.keyId, "keyId");
    if (record.revision !== 1)
      throw new InvalidArgumentError(`${this.name}: a new key record has revision 1`);
    const path = this.#pathOf(record.keyId);
    try {
      createFileAtomically(path, encodeKeyFile(kek, record));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw keyExists(this.name, record.keyId);
      throw mapFsError(error, path, true);
    }
  }

  async update(record: KeyRecord): Promise<void> {
    const kek = await this.#key();
    // Read, check and replace with no await in between, so in-process writers cannot interleave.
    const stored = this.#read(kek, validateId(record.keyId, "keyId"));
    if (stored.revision !== record.revision - 1) throw staleRevision(this.name, record, stored.revision);
    const path = this.#pathOf(record.keyId);
    try {
      replaceFileAtomically(path, encodeKeyFile(kek, record));
    } catch (error) {
      throw mapFsError(error, path, true);
    }
  }

  async delete(keyId: string): Promise<void> {
    await this.#key();
    validateId(keyId, "keyId");
    const path = this.#pathOf(keyId);
    try {
      removeFile(path);
    } catch (error) {
      if (isMissing(error)) throw keyNotFound(this.name, keyId);
      throw mapFsError(error, path, true);
    }
  }

  async list(): Promise<string[]> {
    await this.#key();
    let names: string[];
    try {
      names = readdirSync(this.#keysDirectory);
    } catch (error) {
      throw mapFsError(error, this.#keysDirectory, false);
    }
    const ids: string[] = [];
    for (const name of names) {
      // Dot-files are temp files of writes in progress or interrupted by a crash.
      if (name.startsWith(".") || !name.endsWith(KEY_SUFFIX)) continue;
      try {
        ids.push(validateId(decodeIdSegment(name.slice(0, -KEY_SUFFIX.length)), "keyId"));
      } catch (cause) {
        throw new StoreIntegrityError(
          `${this.name}: unexpected file ${JSON.stringify(name)} in ${this.#keysDirectory}`,
          {
            cause,
          },
        );
      }
    }
    return ids.sort(compareCodePoints);
  }

  #read(kek: KeyObject, keyId: string): KeyRecord {
    const path = this.#pathOf(keyId);
    let bytes: Buffer;
    try {
      bytes = readPrivateFile(path, MAX_FILE_BYTES);
    } catch (error) {
      if (isMissing(error)) throw keyNotFound(this.name, keyId);
      throw isStoreError(error) ? error : mapFsError(error, path, false);
    }
    return decodeKeyFile(kek, bytes, keyId, `${this.name}: key file ${path}`);
  }

  #pathOf(keyId: string): string {
    return join(this.#keysDirectory, `${encodeIdSegment(keyId)}${KEY_SUFFIX}`);
  }

  #key(): Promise<KeyObject> {
    if (this.#closed) return Promise.reject(new StoreClosedError(`${this.name} is closed`));
    if (this.#kek) return Promise.resolve(this.#kek);
    if (!this.#opening) {
      this.#opening = this.#openStore().then(
        (kek) => {
          if (!this.#closed) this.#kek = kek;
          this.#opening = undefined;
          return kek;
        },
        (error: unknown) => {
          this.#opening = undefined;
          throw error;
        },
      );
    }
    return this.#opening;
  }

  async #openStore(): Promise<KeyObject> {
    const protection = this.#protection as Protection;
    const metadataPath = join(this.#directory, METADATA_FILE);
    let existing: Buffer | undefined;
    try {
      existing = readPrivateFile(metadataPath, MAX_FILE_BYTES);
    } catch (error) {
      if (!isMissing(error)) throw isStoreError(error) ? error : mapFsError(error, metadataPath, false);
    }
    if (existing) return openMetadata(existing, protection, `${this.name}: ${METADATA_FILE}`);
    this.#makeDirectories();
    const { bytes, kek } = await createMetadata(protection);
    try {
      createFileAtomically(metadataPath, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw mapFsError(error, metadataPath, true);
      // Another process created the store first: use its metadata.
      return openMetadata(
        readPrivateFile(metadataPath, MAX_FILE_BYTES),
        protection,
        `${this.name}: ${METADATA_FILE}`,
      );
    }
    return kek;
  }

  #makeDirectories(): void {
    try {
      const entries = listOrEmpty(this.#directory);
      if (entries.some((name) => name !== KEYS_DIRECTORY && !name.startsWith("."))) {
        throw new StoreConfigurationError(
          `${this.name}: the directory has files but no ${METADATA_FILE}; it is not a key store`,
          { details: { field: "directory" } },
        );
      }
      const keyFiles = listOrEmpty(this.#keysDirectory).filter((name) => !name.startsWith("."));
      if (keyFiles.length > 0) {
        throw new StoreIntegrityError(
          `${this.name}: ${METADATA_FILE} is missing but ${keyFiles.length} key file(s) exist; refusing to start a new store over them`,
        );
      }
      mkdirSync(this.#keysDirectory, { recursive: true, mode: 0o700 });
      chmodSync(this.#directory, 0o700);
      chmodSync(this.#keysDirectory, 0o700);
    } catch (error) {
      throw isStoreError(error) ? error : mapFsError(error, this.#directory, true);
    }
  }
}
