import { StoreConfigurationError, validateOptions } from "@truthound/store-core";
import { checkAction, type ItemMetadata, type RetentionAction, type RetentionPolicy } from "./policy.js";

export type CompositeMode = "any" | "all";

export interface CompositePolicyOptions {
  policies: RetentionPolicy[];
  /** `any` (default): an item is selected when any policy selects it; `all`: only when every policy does. */
  mode?: CompositeMode;
  action?: RetentionAction;
}

export function isPolicy(value: unknown): value is RetentionPolicy {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as RetentionPolicy).select === "function" &&
    typeof (value as RetentionPolicy).actions === "function"
  );
}

/** Combines policies; an item it selects is handled with the action of the first child that selected it. */
export class CompositePolicy implements RetentionPolicy {
  readonly name = "CompositePolicy";
  readonly action: RetentionAction | undefined;
  readonly policies: readonly RetentionPolicy[];
  readonly mode: CompositeMode;

  constructor(options: CompositePolicyOptions) {
    const o = validateOptions<CompositePolicyOptions>("CompositePolicy", options, {
      policies: {
        type: "array",
        required: true,
        check: (v) => ((v as unknown[]).every(isPolicy) ? undefined : "must be retention policies"),
      },
      mode: { type: "string", oneOf: ["any", "all"] },
      action: { type: "string" },
    });
    if (o.policies.length === 0) {
      throw new StoreConfigurationError("CompositePolicy: needs at least one policy", {
        details: { field: "policies" },
      });
    }
    this.policies = [...o.policies];
    this.mode = o.mode ?? "any";
    this.action = checkAction(this.name, o.action);
  }

  get description(): string {
    return `${this.mode} of (${this.policies.map((p) => p.description).join("; ")})`;
  }

  select(items: readonly ItemMetadata[], nowMs: number): Set<string> {
    return this.decide(items, nowMs).selected;
  }

  /** The selection and, per selected id, the first child policy that selected it. */
  decide(
    items: readonly ItemMetadata[],
    nowMs: number,
  ): { selected: Set<string>; by: Map<string, RetentionPolicy> } {
    const by = new Map<string, RetentionPolicy>();
    const selections = this.policies.map((policy) => ({ policy, ids: policy.select(items, nowMs) }));
    for (const { policy, ids } of selections) for (const id of ids) if (!by.has(id)) by.set(id, policy);
    const selected = new Set<string>();
    for (const id of by.keys()) {
      if (this.mode === "any" || selections.every((s) => s.ids.has(id))) selected.add(id);
    }
    for (const id of by.keys()) if (!selected.has(id)) by.delete(id);
    return { selected, by };
  }

  actions(): RetentionAction[] {
    return [...(this.action ? [this.action] : []), ...this.policies.flatMap((p) => p.actions())];
  }
}
