export { type ChangeType, diffDocuments, type VersionChange } from "./diff.js";
export { VersionConflictError } from "./errors.js";
export { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from "./hashing.js";
export type { ResolvedVersioningOptions, VersionedStoreOptions, VersioningConfig } from "./options.js";
export {
  type BlobRecord,
  type HeadRecord,
  type HistoryRecord,
  historyRecordAdapter,
  type PendingVersion,
  type VersionFields,
  type VersionRecord,
} from "./records.js";
export { type SemanticBump, VERSIONING_MODES, VersioningMode } from "./strategies.js";
export {
  type BranchInfo,
  type BranchOption,
  type CreateBranchOptions,
  type HistoryOptions,
  type LockScope,
  MAIN_BRANCH,
  type MergeOptions,
  type RollbackOptions,
  type VersionDiff,
  type VersionedSaveOptions,
  VersionedStore,
  type VersionInfo,
  type VersionRef,
} from "./versioned-store.js";
