import { StoreConfigurationError, validateOptions } from "@truthound/store-core";
import {
  checkAction,
  groups,
  type ItemMetadata,
  type RetentionAction,
  type RetentionPolicy,
} from "./policy.js";

export interface SizeBasedPolicyOptions {
  /** Exactly one of the four limits (1 KB = 1024 bytes). */
  maxSizeBytes?: number;
  maxSizeKb?: number;
  maxSizeMb?: number;
  maxSizeGb?: number;
  perAsset?: boolean;
  action?: RetentionAction;
}

const UNITS = { maxSizeBytes: 1, maxSizeKb: 1024, maxSizeMb: 1024 ** 2, maxSizeGb: 1024 ** 3 } as const;

/** Keeps the newest items while their sizes add up to at most the limit (per asset or in total). */
export class SizeBasedPolicy implements RetentionPolicy {
  readonly name = "SizeBasedPolicy";
  readonly action: RetentionAction | undefined;
  readonly maxSizeBytes: number;
  readonly perAsset: boolean;

  constructor(options: SizeBasedPolicyOptions) {
    const o = validateOptions<SizeBasedPolicyOptions>("SizeBasedPolicy", options, {
      maxSizeBytes: { type: "number", min: 0 },
      maxSizeKb: { type: "number", min: 0 },
      maxSizeMb: { type: "number", min: 0 },
      maxSizeGb: { type: "number", min: 0 },
      perAsset: { type: "boolean" },
      action: { type: "string" },
    });
    const given = (Object.keys(UNITS) as (keyof typeof UNITS)[]).filter((k) => o[k] !== undefined);
    if (given.length !== 1) {
      throw new StoreConfigurationError(
        "SizeBasedPolicy: give exactly one of maxSizeBytes, maxSizeKb, maxSizeMb, maxSizeGb",
        { details: { field: given[1] ?? "maxSizeBytes" } },
      );
    }
    const unit = given[0] as keyof typeof UNITS;
    this.maxSizeBytes = (o[unit] as number) * UNITS[unit];
    this.action = checkAction(this.name, o.action);
    this.perAsset = o.perAsset ?? false;
  }

  get description(): string {
    return `keep the newest items up to ${this.maxSizeBytes} bytes${this.perAsset ? " per asset" : ""}`;
  }

  select(items: readonly ItemMetadata[]): Set<string> {
    const selected = new Set<string>();
    for (const group of groups(items, this.perAsset)) {
      let total = 0;
      for (const item of group) {
        total += item.sizeBytes;
        if (total > this.maxSizeBytes) selected.add(item.id);
      }
    }
    return selected;
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
