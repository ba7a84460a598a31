import { StoreConfigurationError } from "@truthound/store-core";

/** Strings are encoded as UTF-8 exactly as given (no Unicode normalization), matching Python's `str.encode()`. */
export function passwordBytes(owner: string, password: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (typeof password === "string") bytes = Buffer.from(password, "utf8");
  else if (password instanceof Uint8Array) bytes = password;
  else
    throw new StoreConfigurationError(`${owner}: password must be a string or a Uint8Array`, {
      details: { field: "password" },
    });
  if (bytes.length === 0) {
    throw new StoreConfigurationError(`${owner}: password must not be empty`, {
      details: { field: "password" },
    });
  }
  return bytes;
}
