/** One version of a named key, as a key manager hands it to a codec. */
export interface KeyMaterial {
  keyId: string;
  /** Versions start at 1 and grow with every rotation. */
  version: number;
  /** The algorithm the key is for, e.g. "aes-256-gcm". */
  algorithm: string;
  key: Uint8Array;
}

/**
 * Where authenticated codecs get their keys. Encoding uses the current version and records `keyId` and
 * `version` in the chain header; decoding asks for exactly the version the header names, so data written
 * before a rotation stays readable until that version is retired.
 */
export interface KeyProvider {
  /** The version new data is written under. NOT_FOUND when the key does not exist. */
  currentKey(keyId: string): Promise<KeyMaterial>;
  /** A specific version. NOT_FOUND when it does not exist or was retired. */
  getKey(keyId: string, version: number): Promise<KeyMaterial>;
}
