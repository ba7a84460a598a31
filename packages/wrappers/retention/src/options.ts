import {
  type Clock,
  type ItemAdapter,
  type OptionsSpec,
  type Scheduler,
  type Store,
  StoreConfigurationError,
  systemClock,
  systemScheduler,
  type ValidationResult,
  validateOptions,
  validationResultAdapter,
} from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import type { CleanupResult } from "./cleanup.js";
import { type LedgerRecord, ledgerRecordAdapter } from "./ledger.js";
import { isPolicy } from "./policies/composite.js";
import { checkAction, type RetentionAction, type RetentionPolicy } from "./policies/policy.js";

export interface RetentionSchedule {
  /** Run cleanups on the injected scheduler. Default false: cleanups run only when `runCleanup()` is called. */
  enabled?: boolean;
  /** Minimum time between two cleanups. Default 24. */
  intervalHours?: number;
  /** Only start a cleanup during this UTC hour (0-23). */
  runAtHour?: number;
  /** Only on these UTC days of the week (0 = Sunday ... 6 = Saturday). */
  runOnDays?: number[];
  /** A cleanup stops starting new actions after this long and reports itself truncated. Default 3600. */
  maxDurationSeconds?: number;
  /** Actions run this many at a time. Default 100. */
  batchSize?: number;
  /** How often the scheduler checks whether a cleanup is due. Default 60. */
  checkIntervalSeconds?: number;
}

/** The seeds' `RetentionConfig`, in camelCase, plus the stores it needs. */
export interface RetentionStoreOptions<T = ValidationResult> {
  policies: RetentionPolicy[];
  /** `any` (default): an item is removed when any policy selects it; `all`: only when every policy does. */
  mode?: "any" | "all";
  /** Action for policies that do not name one. Default `DELETE`. */
  defaultAction?: RetentionAction;
  /** Where ARCHIVE moves items; required when any policy archives. */
  archiveStore?: Store<T>;
  /** Where QUARANTINE moves items; required when any policy quarantines. */
  quarantineStore?: Store<T>;
  /** Never remove the newest item of a data asset. Default true. */
  preserveLatest?: boolean;
  /** Items with any of these tag values are never removed. */
  excludedTags?: Record<string, string>;
  excludedAssets?: string[];
  excludedIds?: string[];
  /** Cleanups only report what they would do. Default false. */
  dryRun?: boolean;
  schedule?: RetentionSchedule;
  /** The retention index (any store of `LedgerRecord`, with `ledgerRecordAdapter`); required for a persistent wrapped store. */
  ledgerStore?: Store<LedgerRecord>;
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  scheduler?: Scheduler;
  onCleanup?: (result: CleanupResult) => void;
  onError?: (error: unknown) => void;
  /** `close()` also closes the wrapped, ledger, archive and quarantine stores. Default true. */
  closeInnerStores?: boolean;
}

export interface ResolvedSchedule {
  enabled: boolean;
  intervalMs: number;
  runAtHour: number | undefined;
  runOnDays: number[] | undefined;
  maxDurationMs: number;
  batchSize: number;
  checkIntervalMs: number;
}

export interface ResolvedRetentionOptions<T> {
  policies: RetentionPolicy[];
  mode: "any" | "all";
  defaultAction: RetentionAction;
  archiveStore: Store<T> | undefined;
  quarantineStore: Store<T> | undefined;
  preserveLatest: boolean;
  excludedTags: Record<string, string>;
  excludedAssets: Set<string>;
  excludedIds: Set<string>;
  dryRun: boolean;
  schedule: ResolvedSchedule;
  ledgerStore: Store<LedgerRecord>;
  ownsLedger: boolean;
  adapter: ItemAdapter<T>;
  clock: Clock;
  scheduler: Scheduler;
  onCleanup: ((result: CleanupResult) => void) | undefined;
  onError: ((error: unknown) => void) | undefined;
  closeInnerStores: boolean;
}

const isStore = (v: unknown) =>
  typeof (v as Store<unknown>).saveWithEtag === "function" ? undefined : "must be a Store";

const SPEC: OptionsSpec<RetentionStoreOptions<unknown>> = {
  policies: {
    type: "array",
    required: true,
    check: (v) => ((v as unknown[]).every(isPolicy) ? undefined : "must be retention policies"),
  },
  mode: { type: "string", oneOf: ["any", "all"] },
  defaultAction: { type: "string", check: (v) => void checkAction("RetentionStore", v) },
  archiveStore: { type: "object", check: isStore },
  quarantineStore: { type: "object", check: isStore },
  preserveLatest: { type: "boolean" },
  excludedTags: {
    type: "object",
    check: (v) =>
      Object.values(v as object).every((x) => typeof x === "string") ? undefined : "values must be strings",
  },
  excludedAssets: { type: "array" },
  excludedIds: { type: "array" },
  dryRun: { type: "boolean" },
  schedule: { type: "object" },
  ledgerStore: { type: "object", check: isStore },
  adapter: { type: "object" },
  clock: { type: "object" },
  scheduler: { type: "object" },
  onCleanup: { type: "function" },
  onError: { type: "function" },
  closeInnerStores: { type: "boolean" },
};

const SCHEDULE_SPEC: OptionsSpec<RetentionSchedule> = {
  enabled: { type: "boolean" },
  intervalHours: { type: "number", min: 0 },
  runAtHour: { type: "number", integer: true, min: 0, max: 23 },
  runOnDays: {
    type: "array",
    check: (v) =>
      (v as unknown[]).length > 0 &&
      (v as unknown[]).every((d) => Number.isInteger(d) && (d as number) >= 0 && (d as number) <= 6)
        ? undefined
        : "must be a non-empty list of days 0-6 (0 = Sunday)",
  },
  maxDurationSeconds: { type: "number", min: 0 },
  batchSize: { type: "number", integer: true, min: 1 },
  checkIntervalSeconds: { type: "number", min: 0.001 },
};

function resolveSchedule(input: RetentionSchedule | undefined): ResolvedSchedule {
  const s = validateOptions("RetentionStore.schedule", input, SCHEDULE_SPEC);
  return {
    enabled: s.enabled ?? false,
    intervalMs: (s.intervalHours ?? 24) * 3_600_000,
    runAtHour: s.runAtHour,
    runOnDays: s.runOnDays,
    maxDurationMs: (s.maxDurationSeconds ?? 3600) * 1000,
    batchSize: s.batchSize ?? 100,
    checkIntervalMs: (s.checkIntervalSeconds ?? 60) * 1000,
  };
}

function stringList(field: string, value: unknown[] | undefined): Set<string> {
  if (value === undefined) return new Set();
  if (!value.every((v) => typeof v === "string")) {
    throw new StoreConfigurationError(`RetentionStore: option '${field}' must be a list of strings`, {
      details: { field },
    });
  }
  return new Set(value as string[]);
}

export function resolveRetentionOptions<T>(
  base: Store<T>,
  input: RetentionStoreOptions<T>,
): ResolvedRetentionOptions<T> {
  const o = validateOptions("RetentionStore", input, SPEC as OptionsSpec<RetentionStoreOptions<T>>);
  const defaultAction = checkAction("RetentionStore", o.defaultAction) ?? "DELETE";
  const actions = new Set<RetentionAction>([defaultAction]);
  for (const policy of o.policies) {
    for (const action of policy.actions()) actions.add(action);
    if (policy.action === undefined) actions.add(defaultAction);
  }
  // Checked here, at construction: an ARCHIVE with nowhere to archive to must never turn into a delete.
  if (actions.has("ARCHIVE") && o.archiveStore === undefined) {
    throw new StoreConfigurationError("RetentionStore: a policy archives but no archiveStore is configured", {
      details: { field: "archiveStore" },
    });
  }
  if (actions.has("QUARANTINE") && o.quarantineStore === undefined) {
    throw new StoreConfigurationError(
      "RetentionStore: a policy quarantines but no quarantineStore is configured",
      {
        details: { field: "quarantineStore" },
      },
    );
  }
  for (const [field, store] of [
    ["archiveStore", o.archiveStore],
    ["quarantineStore", o.quarantineStore],
    ["ledgerStore", o.ledgerStore],
  ] as const) {
    if ((store as unknown) === (base as unknown)) {
      throw new StoreConfigurationError(`RetentionStore: ${field} must not be the wrapped store`, {
        details: { field },
      });
    }
  }
  if (o.ledgerStore === undefined && base.capabilities.persistent) {
    throw new StoreConfigurationError(
      "RetentionStore: the wrapped store is persistent, so a persistent ledgerStore is required (the retention index would be lost on restart)",
      { details: { field: "ledgerStore" } },
    );
  }
  if (o.ledgerStore !== undefined && base.capabilities.persistent && !o.ledgerStore.capabilities.persistent) {
    throw new StoreConfigurationError(
      "RetentionStore: ledgerStore must be persistent like the wrapped store",
      {
        details: { field: "ledgerStore" },
      },
    );
  }
  return {
    policies: [...o.policies],
    mode: o.mode ?? "any",
    defaultAction,
    archiveStore: o.archiveStore,
    quarantineStore: o.quarantineStore,
    preserveLatest: o.preserveLatest ?? true,
    excludedTags: { ...(o.excludedTags ?? {}) },
    excludedAssets: stringList("excludedAssets", o.excludedAssets),
    excludedIds: stringList("excludedIds", o.excludedIds),
    dryRun: o.dryRun ?? false,
    schedule: resolveSchedule(o.schedule),
    ledgerStore: o.ledgerStore ?? new MemoryStore<LedgerRecord>({ adapter: ledgerRecordAdapter }),
    ownsLedger: o.ledgerStore === undefined,
    adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
    clock: o.clock ?? systemClock,
    scheduler: o.scheduler ?? systemScheduler,
    onCleanup: o.onCleanup,
    onError: o.onError,
    closeInnerStores: o.closeInnerStores ?? true,
  };
}
