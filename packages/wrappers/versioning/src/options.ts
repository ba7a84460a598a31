import {
  type Clock,
  type ItemAdapter,
  type OptionsSpec,
  type Store,
  StoreConfigurationError,
  systemClock,
  type ValidationResult,
  validateOptions,
  validationResultAdapter,
} from "@truthound/store-core";
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from "./hashing.js";
import type { HistoryRecord } from "./records.js";
import { VERSIONING_MODES, type VersioningMode } from "./strategies.js";

/** The seeds' `VersioningConfig`, in camelCase. */
export interface VersioningConfig {
  /** Default `INCREMENTAL`. */
  mode?: VersioningMode;
  /** Versions kept per item and branch (0: unlimited, the default). */
  maxVersions?: number;
  /** Prune versions beyond `maxVersions` after each save. Default true; when false call `pruneVersions(id)`. */
  autoCleanup?: boolean;
  /** A save without `message` is `INVALID_ARGUMENT`. Default false. */
  requireMessage?: boolean;
  /** Branch operations are available. Default true; when false they are `UNSUPPORTED`. */
  enableBranching?: boolean;
  /** Checksum recorded per version and verified on every read of old content. Default `sha256`. */
  checksumAlgorithm?: ChecksumAlgorithm;
}

export interface VersionedStoreOptions<T = ValidationResult> extends VersioningConfig {
  /** Where history lives: any store of `HistoryRecord` (give it `historyRecordAdapter`). Required. */
  historyStore: Store<HistoryRecord>;
  /** Item type of the wrapped store. Default validation results. */
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  /** `close()` also closes the wrapped and history stores. Default true. */
  closeInnerStores?: boolean;
  /** Attempts of a save without a version condition when other writers keep winning. Default 16. */
  maxCommitAttempts?: number;
}

export interface ResolvedVersioningOptions<T> {
  mode: VersioningMode;
  maxVersions: number;
  autoCleanup: boolean;
  requireMessage: boolean;
  enableBranching: boolean;
  checksumAlgorithm: ChecksumAlgorithm;
  historyStore: Store<HistoryRecord>;
  adapter: ItemAdapter<T>;
  clock: Clock;
  closeInnerStores: boolean;
  maxCommitAttempts: number;
}

const SPEC: OptionsSpec<VersionedStoreOptions<unknown>> = {
  mode: { type: "string", oneOf: VERSIONING_MODES },
  maxVersions: { type: "number", integer: true, min: 0 },
  autoCleanup: { type: "boolean" },
  requireMessage: { type: "boolean" },
  enableBranching: { type: "boolean" },
  checksumAlgorithm: { type: "string", oneOf: CHECKSUM_ALGORITHMS },
  historyStore: {
    type: "object",
    required: true,
    check: (v) => (typeof (v as Store<unknown>).saveWithEtag === "function" ? undefined : "must be a Store"),
  },
  adapter: { type: "object" },
  clock: { type: "object" },
  closeInnerStores: { type: "boolean" },
  maxCommitAttempts: { type: "number", integer: true, min: 1, max: 1000 },
};

export function resolveVersioningOptions<T>(
  base: Store<T>,
  input: VersionedStoreOptions<T>,
): ResolvedVersioningOptions<T> {
  const o = validateOptions("VersionedStore", input, SPEC as OptionsSpec<VersionedStoreOptions<T>>);
  if ((o.historyStore as unknown) === (base as unknown)) {
    throw new StoreConfigurationError(
      "VersionedStore: historyStore must be a separate store (another namespace or prefix) from the wrapped store",
      { details: { field: "historyStore" } },
    );
  }
  if (base.capabilities.persistent && !o.historyStore.capabilities.persistent) {
    throw new StoreConfigurationError(
      "VersionedStore: the wrapped store is persistent, so historyStore must be persistent too (history would be lost on restart)",
      { details: { field: "historyStore" } },
    );
  }
  return {
    mode: o.mode ?? "INCREMENTAL",
    maxVersions: o.maxVersions ?? 0,
    autoCleanup: o.autoCleanup ?? true,
    requireMessage: o.requireMessage ?? false,
    enableBranching: o.enableBranching ?? true,
    checksumAlgorithm: o.checksumAlgorithm ?? "sha256",
    historyStore: o.historyStore,
    adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
    clock: o.clock ?? systemClock,
    closeInnerStores: o.closeInnerStores ?? true,
    maxCommitAttempts: o.maxCommitAttempts ?? 16,
  };
}
