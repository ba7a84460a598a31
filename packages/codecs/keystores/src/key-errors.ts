import { StoreError } from "@truthound/store-core";

/**
 * The current version of a key has passed its `expiresAt`, so it may not encrypt new data (code CONFLICT: the
 * key's state forbids the operation until it is rotated). Reading data written under it still works.
 */
export class KeyExpiredError extends StoreError {
  readonly keyId: string;
  readonly version: number;
  readonly expiresAt: number;

  constructor(keyId: string, version: number, expiresAt: number) {
    super(
      `Key ${JSON.stringify(keyId)} version ${version} expired at ${new Date(expiresAt).toISOString()}; rotate it to encrypt new data`,
      { code: "CONFLICT", id: keyId, details: { keyId, version, expiresAt } },
    );
    this.name = "KeyExpiredError";
    this.keyId = keyId;
    this.version = version;
    this.expiresAt = expiresAt;
  }
}
