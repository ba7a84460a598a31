export { DEFAULT_KDF_PARAMS } from "./defaults.js";
export { deriveKey, describeDerivation, rederiveKey } from "./derive-key.js";
export { parseKdfDescriptor } from "./descriptor.js";
export type { DerivedKey, DeriveKeyOptions, KdfDescriptor, KdfName, KdfParams } from "./kdf-types.js";
export { KDF_NAMES } from "./kdf-types.js";
export { KDF_LIMITS } from "./limits.js";
