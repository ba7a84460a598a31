import { randomBytes } from "node:crypto";
import {
  type Clock,
  InvalidArgumentError,
  isStoreError,
  type KeyMaterial,
  type KeyProvider,
  StoreConflictError,
  StoreError,
  StoreNotFoundError,
  systemClock,
  validateId,
  validateOptions,
} from "@truthound/store-core";
import { isKeyAlgorithm, KEY_ALGORITHMS, KEY_SIZES, type KeyAlgorithm } from "./algorithms.js";
import { KeyExpiredError } from "./key-errors.js";
import { withKeyLock } from "./key-lock.js";
import { type KeyRecord, type KeyVersionRecord, wipeRecord } from "./key-record.js";
import type { KeyStore } from "./key-store.js";
import { MAX_KEY_VERSIONS } from "./record-codec.js";

export type KeyAuditAction = "created" | "rotated" | "retired" | "deleted" | "accessed";

export interface KeyAuditEvent {
  action: KeyAuditAction;
  keyId: string;
  version: number;
  /** Epoch milliseconds from the manager's clock. */
  at: number;
}

export interface KeyManagerOptions {
  store: KeyStore;
  /** Decides expiry and timestamps; default the system clock. */
  clock?: Clock;
  /** Called after every change is stored and on every key access; a rejection fails the call. */
  audit?: (event: KeyAuditEvent) => void | Promise<void>;
  /** Algorithm of keys created without one; default "aes-256-gcm". */
  defaultAlgorithm?: KeyAlgorithm;
  /**
   * How long a record read from the store is reused, in clock milliseconds; default 1000, 0 disables.
   * Changes made through this manager are seen at once; changes by other processes after at most this long.
   */
  cacheTtlMs?: number;
}

export interface CreateKeyOptions {
  algorithm?: KeyAlgorithm;
  /** Epoch milliseconds or a Date, after which the version may not encrypt new data. */
  expiresAt?: number | Date;
}

export type RotateKeyOptions = CreateKeyOptions;

export interface KeyVersionInfo {
  version: number;
  algorithm: KeyAlgorithm;
  createdAt: number;
  expiresAt?: number;
  retiredAt?: number;
  expired: boolean;
  retired: boolean;
}

/** What `listKeys` tells about a key: never its bytes. */
export interface KeyInfo {
  keyId: string;
  currentVersion: number;
  algorithm: KeyAlgorithm;
  versions: KeyVersionInfo[];
}

const MAX_CONFLICT_RETRIES = 5;

function currentVersionOf(record: KeyRecord): KeyVersionRecord | undefined {
  for (let i = record.versions.length - 1; i >= 0; i--) {
    const version = record.versions[i] as KeyVersionRecord;
    if (version.retiredAt === undefined) return version;
  }
  return undefined;
}

function material(keyId: string, version: KeyVersionRecord): KeyMaterial {
  return {
    keyId,
    version: version.version,
    algorithm: version.algorithm,
    key: Uint8Array.from(version.key as Uint8Array),
  };
}

/**
 * Creates, rotates, retires and hands out versioned keys over any `KeyStore`, and is the `KeyProvider` that
 * authenticated codecs ask. Rotation adds a version and makes it current; older versions keep decrypting
 * until `retireVersion` drops their material. An expired current version refuses `currentKey` (no new data
 * under it) with `KeyExpiredError` but still serves `getKey` for decryption, because data written before the
 * expiry must stay readable; retire a version to make its data unreadable.
 */
export class KeyManager implements KeyProvider {
  readonly #store: KeyStore;
  readonly #clock: Clock;
  readonly #audit: ((event: KeyAuditEvent) => void | Promise<void>) | undefined;
  readonly #defaultAlgorithm: KeyAlgorithm;
  readonly #cacheTtlMs: number;
  readonly #cache = new Map<string, { record: KeyRecord; readAt: number }>();

  constructor(options: KeyManagerOptions) {
    const checked = validateOptions<KeyManagerOptions>("KeyManager", options, {
      store: {
        type: "object",
        required: true,
        check: (v) => (typeof (v as KeyStore).get === "function" ? undefined : "must be a KeyStore"),
      },
      clock: {
        type: "object",
        check: (v) => (typeof (v as Clock).now === "function" ? undefined : "must have a now() method"),
      },
      audit: { type: "function" },
      defaultAlgorithm: { type: "string", oneOf: KEY_ALGORITHMS },
      cacheTtlMs: { type: "number", integer: true, min: 0 },
    });
    this.#store = checked.store;
    this.#clock = checked.clock ?? systemClock;
    this.#audit = checked.audit;
    this.#defaultAlgorithm = checked.defaultAlgorithm ?? "aes-256-gcm";
    this.#cacheTtlMs = checked.cacheTtlMs ?? 1_000;
  }

  /** The version new data is encrypted under. NOT_FOUND for an unknown key, KeyExpiredError when expired. */
  async currentKey(keyId: string): Promise<KeyMaterial> {
    const record = await this.#read(keyId);
    const current = currentVersionOf(record);
    if (!current)
      throw new StoreNotFoundError(keyId, { itemType: "Key", details: { reason: "every version retired" } });
    if (current.expiresAt !== undefined && this.#clock.now() >= current.expiresAt) {
      throw new KeyExpiredError(keyId, current.version, current.expiresAt);
    }
    const key = material(keyId, current);
    await this.#emit("accessed", keyId, current.version);
    return key;
  }

  /** A specific version, expired or not. NOT_FOUND when the key or version does not exist or was retired. */
  async getKey(keyId: string, version: number): Promise<KeyMaterial> {
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new InvalidArgumentError(`KeyManager: version must be a positive integer, got ${version}`);
    }
    const record = await this.#read(keyId);
    const found = record.versions.find((v) => v.version === version);
    if (!found || found.retiredAt !== undefined || !found.key) {
      throw new StoreNotFoundError(`${keyId}@${version}`, {
        itemType: "Key version",
        details: { keyId, version, reason: found ? "retired" : "no such version" },
      });
    }
    const key = material(keyId, found);
    await this.#emit("accessed", keyId, version);
    return key;
  }

  /** Creates version 1 of a new key. ALREADY_EXISTS when the id is taken. */
  async createKey(keyId: string, options: CreateKeyOptions = {}): Promise<KeyMaterial> {
    validateId(keyId, "keyId");
    const version = this.#newVersion(1, options, this.#defaultAlgorithm);
    const record: KeyRecord = { keyId, revision: 1, versions: [version] };
    await withKeyLock(this.#store, keyId, async () => {
      await this.#store.create(record);
      this.#remember(record);
    });
    await this.#emit("created", keyId, 1);
    return material(keyId, version);
  }

  /** Adds a new current version (same algorithm unless given). Older versions stay readable. */
  async rotateKey(keyId: string, options: RotateKeyOptions = {}): Promise<KeyMaterial> {
    let added: KeyVersionRecord | undefined;
    await this.#mutate(keyId, (record) => {
      const last = record.versions[record.versions.length - 1] as KeyVersionRecord;
      if (record.versions.length >= MAX_KEY_VERSIONS) {
        throw new InvalidArgumentError(
          `KeyManager: key ${JSON.stringify(keyId)} has the maximum of ${MAX_KEY_VERSIONS} versions`,
        );
      }
      const base = currentVersionOf(record)?.algorithm ?? last.algorithm;
      added = this.#newVersion(last.version + 1, options, base);
      record.versions.push(added);
      return true;
    });
    const version = added as KeyVersionRecord;
    await this.#emit("rotated", keyId, version.version);
    return material(keyId, version);
  }

  /**
   * Drops the material of an old version: data written under it can no longer be decrypted. The current
   * version cannot be retired (rotate first). Retiring an already retired version changes nothing.
   */
  async retireVersion(keyId: string, version: number): Promise<void> {
    let changed = false;
    await this.#mutate(keyId, (record) => {
      const found = record.versions.find((v) => v.version === version);
      if (!found) {
        throw new StoreNotFoundError(`${keyId}@${version}`, {
          itemType: "Key version",
          details: { keyId, version },
        });
      }
      if (found.retiredAt !== undefined) return false;
      if (currentVersionOf(record) === found) {
        throw new StoreConflictError(
          `KeyManager: version ${version} is the current version of ${JSON.stringify(keyId)}; rotate before retiring it`,
          { id: keyId },
        );
      }
      found.retiredAt = this.#clock.now();
      found.key?.fill(0);
      delete found.key;
      changed = true;
      return true;
    });
    if (changed) await this.#emit("retired", keyId, version);
  }

  /** Removes a key and every version. NOT_FOUND when it does not exist. */
  async deleteKey(keyId: string): Promise<void> {
    validateId(keyId, "keyId");
    let lastVersion = 0;
    await withKeyLock(this.#store, keyId, async () => {
      const record = await this.#store.get(keyId);
      lastVersion = (record.versions[record.versions.length - 1] as KeyVersionRecord).version;
      wipeRecord(record);
      await this.#store.delete(keyId);
      this.#forget(keyId);
    });
    await this.#emit("deleted", keyId, lastVersion);
  }

  /** Every key with its versions and their state, in key id order; never key bytes. */
  async listKeys(): Promise<KeyInfo[]> {
    const ids = await this.#store.list();
    const infos: KeyInfo[] = [];
    for (const keyId of ids) infos.push(await this.describeKey(keyId));
    return infos;
  }

  async describeKey(keyId: string): Promise<KeyInfo> {
    const record = await this.#read(keyId);
    const now = this.#clock.now();
    const current = currentVersionOf(record);
    return {
      keyId,
      currentVersion: current?.version ?? 0,
      algorithm: (current ?? (record.versions[record.versions.length - 1] as KeyVersionRecord)).algorithm,
      versions: record.versions.map((v) => ({
        version: v.version,
        algorithm: v.algorithm,
        createdAt: v.createdAt,
        ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}),
        ...(v.retiredAt !== undefined ? { retiredAt: v.retiredAt } : {}),
        expired: v.expiresAt !== undefined && now >= v.expiresAt,
        retired: v.retiredAt !== undefined,
      })),
    };
  }

  #newVersion(version: number, options: CreateKeyOptions, fallback: KeyAlgorithm): KeyVersionRecord {
    const checked = validateOptions<CreateKeyOptions>("KeyManager key", options, {
      algorithm: { type: "string", oneOf: KEY_ALGORITHMS },
      expiresAt: {
        type: "any",
        check: (v) =>
          (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) ||
          (v instanceof Date && !Number.isNaN(v.getTime()))
            ? undefined
            : "must be epoch milliseconds or a valid Date",
      },
    });
    const algorithm = checked.algorithm ?? fallback;
    if (!isKeyAlgorithm(algorithm))
      throw new InvalidArgumentError(`KeyManager: unknown algorithm ${algorithm}`);
    const createdAt = this.#clock.now();
    const record: KeyVersionRecord = {
      version,
      algorithm,
      createdAt,
      key: new Uint8Array(randomBytes(KEY_SIZES[algorithm])),
    };
    if (checked.expiresAt !== undefined) {
      const expiresAt = checked.expiresAt instanceof Date ? checked.expiresAt.getTime() : checked.expiresAt;
      if (expiresAt <= createdAt) {
        throw new InvalidArgumentError(
          `KeyManager: expiresAt ${new Date(expiresAt).toISOString()} is not after now (${new Date(createdAt).toISOString()})`,
        );
      }
      record.expiresAt = expiresAt;
    }
    return record;
  }

  /**
   * Read-modify-write of one key under the key lock, against the store's current record. A CONFLICT (another
   * manager or process wrote in between) re-reads and retries. `change` returns false when nothing changed.
   */
  async #mutate(keyId: string, change: (record: KeyRecord) => boolean): Promise<void> {
    validateId(keyId, "keyId");
    await withKeyLock(this.#store, keyId, async () => {
      for (let attempt = 0; ; attempt++) {
        const record = await this.#store.get(keyId);
        if (!change(record)) {
          this.#remember(record);
          return;
        }
        record.revision += 1;
        try {
          await this.#store.update(record);
          this.#remember(record);
          return;
        } catch (error) {
          if (!isStoreError(error, "CONFLICT") || attempt >= MAX_CONFLICT_RETRIES) throw error;
        }
      }
    });
  }

  async #read(keyId: string): Promise<KeyRecord> {
    validateId(keyId, "keyId");
    const cached = this.#cache.get(keyId);
    if (cached && this.#clock.now() - cached.readAt < this.#cacheTtlMs) return cached.record;
    const record = await this.#store.get(keyId);
    this.#remember(record);
    return record;
  }

  #remember(record: KeyRecord): void {
    if (this.#cacheTtlMs === 0) return;
    this.#cache.set(record.keyId, { record, readAt: this.#clock.now() });
  }

  // Cached records are not zero-filled: a caller may still be copying material out of one.
  #forget(keyId: string): void {
    this.#cache.delete(keyId);
  }

  async #emit(action: KeyAuditAction, keyId: string, version: number): Promise<void> {
    if (!this.#audit) return;
    try {
      await this.#audit({ action, keyId, version, at: this.#clock.now() });
    } catch (error) {
      if (isStoreError(error)) throw error;
      throw new StoreError(
        `KeyManager: audit hook failed for ${action} of ${JSON.stringify(keyId)} v${version}`,
        {
          code: "WRITE",
          cause: error,
          id: keyId,
          details: { action, version },
        },
      );
    }
  }
}
