import type { StoreError } from "@truthound/store-core";
import { CompositePolicy } from "./policies/composite.js";
import type { ItemMetadata, RetentionAction, RetentionPolicy } from "./policies/policy.js";

/** What happened (or, in a dry run, would happen) to one item. */
export interface CleanupAction {
  id: string;
  dataAsset: string;
  action: RetentionAction;
  /** Name and description of the policy that selected the item. */
  policy: string;
  sizeBytes: number;
  /** `done`, `planned` (dry run), `failed` (see `error`), or `skipped` (time limit reached first). */
  outcome: "done" | "planned" | "failed" | "skipped";
  error?: StoreError;
}

export interface CleanupResult {
  dryRun: boolean;
  /** ISO 8601. */
  startedAt: string;
  finishedAt: string;
  /** Items in the retention index when the cleanup started. */
  scanned: number;
  /** Items the index did not know yet (saved around the wrapper); read once to add them. */
  adopted: number;
  /** Index records of items that were no longer in the store; dropped. */
  stale: number;
  excluded: number;
  preserved: number;
  actions: CleanupAction[];
  deleted: number;
  archived: number;
  quarantined: number;
  failed: number;
  bytesFreed: number;
  /** `maxDurationSeconds` elapsed before every action ran; the rest are `skipped`. */
  truncated: boolean;
}

export interface PlanSettings {
  policies: readonly RetentionPolicy[];
  mode: "any" | "all";
  defaultAction: RetentionAction;
  preserveLatest: boolean;
  excludedTags: Record<string, string>;
  excludedAssets: ReadonlySet<string>;
  excludedIds: ReadonlySet<string>;
}

export interface Plan {
  planned: Omit<CleanupAction, "outcome">[];
  excluded: number;
  preserved: number;
}

/** Newest first: run time descending, then id descending (the reverse of the reference ascending order). */
export function newestFirst(items: ItemMetadata[]): ItemMetadata[] {
  return items.sort((a, b) => b.runTimeMs - a.runTimeMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function isExcluded(item: ItemMetadata, s: PlanSettings): boolean {
  if (s.excludedIds.has(item.id) || s.excludedAssets.has(item.dataAsset)) return true;
  return Object.entries(s.excludedTags).some(([k, v]) => item.tags[k] === v);
}

/** Decides what to remove; pure, so dry runs and estimates give exactly what a real run would do. */
export function planCleanup(items: readonly ItemMetadata[], nowMs: number, s: PlanSettings): Plan {
  const planned: Plan["planned"] = [];
  if (s.policies.length === 0) return { planned, excluded: 0, preserved: 0 };
  const composite = new CompositePolicy({ policies: [...s.policies], mode: s.mode });
  const { by } = composite.decide(items, nowMs);
  const latest = new Set<string>();
  if (s.preserveLatest) {
    const seen = new Set<string>();
    for (const item of items) {
      if (!seen.has(item.dataAsset)) {
        seen.add(item.dataAsset);
        latest.add(item.id);
      }
    }
  }
  let excluded = 0;
  let preserved = 0;
  for (const item of items) {
    const policy = by.get(item.id);
    if (policy === undefined) continue;
    if (isExcluded(item, s)) {
      excluded++;
      continue;
    }
    if (latest.has(item.id)) {
      preserved++;
      continue;
    }
    planned.push({
      id: item.id,
      dataAsset: item.dataAsset,
      action: policy.action ?? s.defaultAction,
      policy: `${policy.name}: ${policy.description}`,
      sizeBytes: item.sizeBytes,
    });
  }
  return { planned, excluded, preserved };
}
