import { validateOptions } from "@truthound/store-core";
import {
  checkAction,
  groups,
  type ItemMetadata,
  type RetentionAction,
  type RetentionPolicy,
} from "./policy.js";

export interface CountBasedPolicyOptions {
  maxCount: number;
  /** Count per data asset instead of over the whole store. Default false. */
  perAsset?: boolean;
  action?: RetentionAction;
}

/** Keeps the `maxCount` newest items (per asset or in total) and selects the rest. */
export class CountBasedPolicy implements RetentionPolicy {
  readonly name = "CountBasedPolicy";
  readonly action: RetentionAction | undefined;
  readonly maxCount: number;
  readonly perAsset: boolean;

  constructor(options: CountBasedPolicyOptions) {
    const o = validateOptions<CountBasedPolicyOptions>("CountBasedPolicy", options, {
      maxCount: { type: "number", required: true, integer: true, min: 0 },
      perAsset: { type: "boolean" },
      action: { type: "string" },
    });
    this.action = checkAction(this.name, o.action);
    this.maxCount = o.maxCount;
    this.perAsset = o.perAsset ?? false;
  }

  get description(): string {
    return `keep the ${this.maxCount} newest items${this.perAsset ? " per asset" : ""}`;
  }

  select(items: readonly ItemMetadata[]): Set<string> {
    const selected = new Set<string>();
    for (const group of groups(items, this.perAsset)) {
      for (const item of group.slice(this.maxCount)) selected.add(item.id);
    }
    return selected;
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
