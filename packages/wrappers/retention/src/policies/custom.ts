import { validateOptions } from "@truthound/store-core";
import { checkAction, type ItemMetadata, type RetentionAction, type RetentionPolicy } from "./policy.js";

export interface CustomPolicyOptions {
  /** True: remove the item. */
  predicate: (item: ItemMetadata, nowMs: number) => boolean;
  description: string;
  action?: RetentionAction;
}

/** Selects the items a caller-supplied predicate returns true for. */
export class CustomPolicy implements RetentionPolicy {
  readonly name = "CustomPolicy";
  readonly action: RetentionAction | undefined;
  readonly description: string;
  readonly #predicate: (item: ItemMetadata, nowMs: number) => boolean;

  constructor(options: CustomPolicyOptions) {
    const o = validateOptions<CustomPolicyOptions>("CustomPolicy", options, {
      predicate: { type: "function", required: true },
      description: { type: "string", required: true },
      action: { type: "string" },
    });
    this.#predicate = o.predicate;
    this.description = o.description;
    this.action = checkAction(this.name, o.action);
  }

  select(items: readonly ItemMetadata[], nowMs: number): Set<string> {
    return new Set(
      items
        .filter((item) => this.#predicate({ ...item, tags: { ...item.tags } }, nowMs) === true)
        .map((i) => i.id),
    );
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
