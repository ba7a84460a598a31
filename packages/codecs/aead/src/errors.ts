import { StoreError, StoreIntegrityError } from "@truthound/store-core";

/**
 * A key reached the number of messages it may safely encrypt with random nonces. Rotate the key (a new
 * version) and keep the old one for decryption.
 */
export class KeyUsageLimitError extends StoreError {
  readonly limit: number;
  constructor(algorithm: string, limit: number) {
    super(
      `This ${algorithm} key has encrypted its limit of ${limit} messages with random nonces; rotate to a new key`,
      { code: "INVALID_ARGUMENT", details: { algorithm, limit } },
    );
    this.name = "KeyUsageLimitError";
    this.limit = limit;
  }
}

export function authenticationFailed(what: string, cause?: unknown): StoreIntegrityError {
  return new StoreIntegrityError(
    `${what}: authentication failed (wrong key, wrong associated data, or the data was changed)`,
    cause === undefined ? {} : { cause },
  );
}
