import { randomBytes } from "node:crypto";
import { type KeyMaterial, type KeyProvider, StoreNotFoundError } from "@truthound/store-core";

/** A small KeyProvider for tests: versioned keys that rotate and retire. */
export class VersionedKeys implements KeyProvider {
  readonly #keys = new Map<string, KeyMaterial[]>();

  constructor(
    readonly algorithm = "aes-256-gcm",
    readonly size = 32,
  ) {}

  create(keyId: string): KeyMaterial {
    const material = {
      keyId,
      version: 1,
      algorithm: this.algorithm,
      key: new Uint8Array(randomBytes(this.size)),
    };
    this.#keys.set(keyId, [material]);
    return material;
  }

  rotate(keyId: string): KeyMaterial {
    const versions = this.#keys.get(keyId) ?? [];
    const material = {
      keyId,
      version: (versions.at(-1)?.version ?? 0) + 1,
      algorithm: this.algorithm,
      key: new Uint8Array(randomBytes(this.size)),
    };
    versions.push(material);
    this.#keys.set(keyId, versions);
    return material;
  }

  retire(keyId: string, version: number): void {
    this.#keys.set(
      keyId,
      (this.#keys.get(keyId) ?? []).filter((m) => m.version !== version),
    );
  }

  async currentKey(keyId: string): Promise<KeyMaterial> {
    const current = this.#keys.get(keyId)?.at(-1);
    if (!current) throw new StoreNotFoundError(keyId, { itemType: "Key" });
    return current;
  }

  async getKey(keyId: string, version: number): Promise<KeyMaterial> {
    const found = this.#keys.get(keyId)?.find((m) => m.version === version);
    if (!found) throw new StoreNotFoundError(`${keyId} v${version}`, { itemType: "Key" });
    return found;
  }
}
