import { StoreConfigurationError, StoreError, StoreIntegrityError } from "@truthound/store-core";
import type { ParamFailure } from "./params.js";

export const configurationFailure =
  (owner: string): ParamFailure =>
  (message, field) => {
    throw new StoreConfigurationError(`${owner}: ${message}`, { details: { field } });
  };

/** A descriptor comes from a header, so anything wrong with it means the header is corrupt or forged. */
export const descriptorFailure: ParamFailure = (message, field) => {
  throw new StoreIntegrityError(`Invalid key derivation descriptor: ${message}`, { details: { field } });
};

/** The checked parameters were within every documented limit, so a failing primitive is the environment's fault. */
export function primitiveFailure(kdf: string, error: unknown): StoreError {
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError(`${kdf} derivation failed: ${detail}`, {
    code: "UNSUPPORTED",
    cause: error,
    details: { kdf },
  });
}
