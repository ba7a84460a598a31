export * from "./blob-storage.js";
export type { DocumentSource } from "./document-stream.js";
export { checkPrefix, type DocumentFormat, EXTENSIONS, KeyLayout, MAX_SEGMENT_BYTES } from "./key-layout.js";
export { META_MARKER, META_TOKEN } from "./marker-index.js";
export { type DocumentReadStream, ObjectStore, type ObjectStoreConfig } from "./object-store.js";
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
export { mapStreamErrors } from "./stream-errors.js";
