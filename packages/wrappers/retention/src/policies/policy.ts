import { StoreConfigurationError } from "@truthound/store-core";

export const RETENTION_ACTIONS = ["DELETE", "ARCHIVE", "QUARANTINE"] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];
export const RetentionAction = {
  DELETE: "DELETE",
  ARCHIVE: "ARCHIVE",
  QUARANTINE: "QUARANTINE",
} as const satisfies Record<RetentionAction, RetentionAction>;

/** What retention knows about an item: its index entry and its size, from the retention ledger. */
export interface ItemMetadata {
  id: string;
  dataAsset: string;
  /** Run time, ms since the epoch: the item's age is measured from it. */
  runTimeMs: number;
  status: string;
  tags: Record<string, string>;
  /** Bytes of the item's JSON document, recorded when it was saved. */
  sizeBytes: number;
}

/**
 * A rule that selects items for removal. `select` sees every item at once, so rules that rank items (count, size)
 * work the same as rules that look at one item (age, status, tags).
 */
export interface RetentionPolicy {
  readonly name: string;
  readonly description: string;
  /** What to do with the items it selects; undefined: the store's `defaultAction`. */
  readonly action: RetentionAction | undefined;
  /** Ids of the items to remove. `items` is newest first ([runTime, id] descending). */
  select(items: readonly ItemMetadata[], nowMs: number): Set<string>;
  /** Actions this policy (and its children) may ask for, to check the store is configured for them. */
  actions(): RetentionAction[];
}

export function checkAction(owner: string, action: unknown): RetentionAction | undefined {
  if (action === undefined) return undefined;
  if (!(RETENTION_ACTIONS as readonly unknown[]).includes(action)) {
    throw new StoreConfigurationError(
      `${owner}: action must be one of ${RETENTION_ACTIONS.join(", ")}, got ${JSON.stringify(action)}`,
      { details: { field: "action" } },
    );
  }
  return action as RetentionAction;
}

export function positiveOrUndefined(owner: string, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new StoreConfigurationError(`${owner}: ${field} must be a positive number`, { details: { field } });
  }
  return value;
}

export const DAY_MS = 86_400_000;

/** Groups items (already newest first) by data asset, or all together. */
export function groups(items: readonly ItemMetadata[], perAsset: boolean): ItemMetadata[][] {
  if (!perAsset) return [items.slice()];
  const byAsset = new Map<string, ItemMetadata[]>();
  for (const item of items) {
    const list = byAsset.get(item.dataAsset);
    if (list) list.push(item);
    else byAsset.set(item.dataAsset, [item]);
  }
  return [...byAsset.values()];
}
