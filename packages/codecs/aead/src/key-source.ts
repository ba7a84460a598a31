import {
  InvalidArgumentError,
  isStoreError,
  type KeyMaterial,
  type KeyProvider,
  StoreConfigurationError,
  StoreIntegrityError,
  StoreNotFoundError,
} from "@truthound/store-core";

/** Where a codec takes its key from: raw bytes (with an id and version to record) or a `KeyProvider`. */
export interface KeySourceOptions {
  /** Raw key bytes. Exactly one of `key` and `keyProvider`. */
  key?: Uint8Array;
  /** The key's id, recorded in the header. Required with `keyProvider`; with a raw key, default "default". */
  keyId?: string;
  /** The raw key's version, recorded in the header. Default 1. Only with `key` (a provider knows its versions). */
  keyVersion?: number;
  /** A key manager: writes use its current version, reads ask for the exact version in the header. */
  keyProvider?: KeyProvider;
}

export type KeyParams = {
  kid: string;
  kv: number;
};

const providers: KeyProvider[] = [];

/**
 * Makes a `KeyProvider` available to codecs that were not configured but are named in a stored header (for
 * example data written with chacha20-poly1305 before the store switched to aes-256-gcm). Providers are asked in
 * registration order; NOT_FOUND moves on to the next one.
 */
export function registerDecryptionKeyProvider(provider: KeyProvider): void {
  if (!provider || typeof provider.getKey !== "function" || typeof provider.currentKey !== "function") {
    throw new StoreConfigurationError("registerDecryptionKeyProvider: expected a KeyProvider");
  }
  if (!providers.includes(provider)) providers.push(provider);
}

export function unregisterDecryptionKeyProvider(provider: KeyProvider): void {
  const at = providers.indexOf(provider);
  if (at >= 0) providers.splice(at, 1);
}

/** Reads `{kid, kv}` from header params; anything malformed is INTEGRITY (the header is data). */
export function readKeyParams(params: Readonly<Record<string, unknown>>, owner: string): KeyParams {
  const { kid, kv } = params;
  if (
    typeof kid !== "string" ||
    kid.length === 0 ||
    typeof kv !== "number" ||
    !Number.isSafeInteger(kv) ||
    kv < 1
  ) {
    throw new StoreIntegrityError(`${owner}: header does not name a key id and version`);
  }
  return { kid, kv };
}

function checkKeyId(keyId: unknown, owner: string): string {
  if (typeof keyId !== "string" || keyId.length === 0 || keyId.length > 256) {
    throw new StoreConfigurationError(
      `${owner}: keyId must be a non-empty string of at most 256 characters`,
      {
        details: { field: "keyId" },
      },
    );
  }
  return keyId;
}

/** The key side of a codec: what to record in the header and which bytes to use. */
export class KeySource {
  readonly #owner: string;
  readonly #provider: KeyProvider | undefined;
  readonly #raw: KeyMaterial | undefined;
  readonly #keyId: string;
  #currentVersion: number | undefined;

  constructor(owner: string, options: KeySourceOptions, algorithm: string) {
    this.#owner = owner;
    const { key, keyProvider, keyVersion } = options;
    if ((key === undefined) === (keyProvider === undefined)) {
      throw new StoreConfigurationError(`${owner}: configure exactly one of 'key' and 'keyProvider'`, {
        details: { field: "key" },
      });
    }
    if (keyProvider !== undefined) {
      if (typeof keyProvider?.getKey !== "function" || typeof keyProvider?.currentKey !== "function") {
        throw new StoreConfigurationError(`${owner}: 'keyProvider' must implement currentKey and getKey`, {
          details: { field: "keyProvider" },
        });
      }
      if (keyVersion !== undefined) {
        throw new StoreConfigurationError(
          `${owner}: 'keyVersion' applies to a raw key only; a key provider names its current version`,
          { details: { field: "keyVersion" } },
        );
      }
      this.#provider = keyProvider;
      this.#keyId = checkKeyId(options.keyId, owner);
    } else {
      if (!(key instanceof Uint8Array)) {
        throw new StoreConfigurationError(`${owner}: 'key' must be a Uint8Array`, {
          details: { field: "key" },
        });
      }
      const version = keyVersion ?? 1;
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new StoreConfigurationError(`${owner}: 'keyVersion' must be an integer >= 1`, {
          details: { field: "keyVersion" },
        });
      }
      this.#keyId = checkKeyId(options.keyId ?? "default", owner);
      this.#raw = { keyId: this.#keyId, version, algorithm, key: new Uint8Array(key) };
      this.#currentVersion = version;
    }
  }

  get keyId(): string {
    return this.#keyId;
  }

  /** Loads the provider's current version, so `headerParams` can name it. */
  async load(): Promise<void> {
    if (this.#provider) this.#currentVersion = (await this.#provider.currentKey(this.#keyId)).version;
  }

  headerParams(): KeyParams {
    if (this.#currentVersion === undefined) {
      throw new StoreConfigurationError(
        `${this.#owner}: the key was not loaded; create the codec with its factory`,
      );
    }
    return { kid: this.#keyId, kv: this.#currentVersion };
  }

  /**
   * The key a write recorded in its header. A provider is asked for its current version too: after a rotation
   * this write still uses the version its header names, and the next header names the new one.
   */
  async forEncode(params: Readonly<Record<string, unknown>>): Promise<KeyMaterial> {
    const { kid, kv } = readKeyParams(params, this.#owner);
    if (!this.#provider) return this.forDecode(params);
    const current = await this.#provider.currentKey(kid);
    this.#currentVersion = current.version;
    return current.version === kv ? current : this.#provider.getKey(kid, kv);
  }

  /** The version new data is written under. */
  async current(): Promise<KeyMaterial> {
    if (this.#provider) {
      const current = await this.#provider.currentKey(this.#keyId);
      this.#currentVersion = current.version;
      return current;
    }
    return this.#raw as KeyMaterial;
  }

  /** Exactly the version a header names. */
  async forDecode(params: Readonly<Record<string, unknown>>): Promise<KeyMaterial> {
    const { kid, kv } = readKeyParams(params, this.#owner);
    if (this.#provider) return this.#provider.getKey(kid, kv);
    const raw = this.#raw as KeyMaterial;
    if (kid !== raw.keyId || kv !== raw.version) {
      throw new StoreNotFoundError(`${kid} v${kv}`, {
        itemType: "Key",
        details: { configuredKeyId: raw.keyId, configuredVersion: raw.version },
      });
    }
    return raw;
  }
}

/** For codecs built from a header alone: asks the registered decryption providers. */
export async function keyFromRegisteredProviders(
  params: Readonly<Record<string, unknown>>,
  owner: string,
): Promise<KeyMaterial> {
  const { kid, kv } = readKeyParams(params, owner);
  if (providers.length === 0) {
    throw new StoreConfigurationError(
      `${owner}: data names key '${kid}' v${kv}, but this codec is not configured in the chain and no key provider is registered; configure the codec or call registerDecryptionKeyProvider()`,
      { details: { keyId: kid, keyVersion: kv } },
    );
  }
  let lastError: unknown;
  for (const provider of providers) {
    try {
      return await provider.getKey(kid, kv);
    } catch (error) {
      if (!isStoreError(error, "NOT_FOUND")) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export function checkKeyBytes(material: KeyMaterial, size: number, owner: string): Uint8Array {
  const key = material.key;
  if (!(key instanceof Uint8Array) || key.length !== size) {
    throw new InvalidArgumentError(
      `${owner}: key '${material.keyId}' v${material.version} must be ${size} bytes for this algorithm`,
      { details: { keyId: material.keyId, version: material.version } },
    );
  }
  return key;
}
