export * from "./blob-storage.js";
export { checkPrefix, type DocumentFormat, EXTENSIONS, KeyLayout, MAX_SEGMENT_BYTES } from "./key-layout.js";
export { META_MARKER, META_TOKEN } from "./marker-index.js";
export { ObjectStore, type ObjectStoreConfig } from "./object-store.js";
export {
  type Compatibility,
  type ObjectStoreCommonOptions,
  objectStoreCommonSpec,
} from "./object-store-options.js";
export {
  type PythonIndexRecord,
  type PythonIndexState,
  parsePythonIndex,
  pythonIndexValue,
} from "./python-index.js";
export type { RebuildReport } from "./rebuild.js";
