import { validateOptions } from "@truthound/store-core";
import {
  checkAction,
  DAY_MS,
  type ItemMetadata,
  type RetentionAction,
  type RetentionPolicy,
} from "./policy.js";

export interface TagBasedPolicyOptions {
  tagKey: string;
  /** Only items whose tag has this value; without it any value. */
  tagValue?: string;
  /** Only items older than this; without it every tagged item. */
  maxAgeDays?: number;
  action?: RetentionAction;
}

/** Selects items carrying a tag (and value), optionally only once they are older than `maxAgeDays`. */
export class TagBasedPolicy implements RetentionPolicy {
  readonly name = "TagBasedPolicy";
  readonly action: RetentionAction | undefined;
  readonly tagKey: string;
  readonly tagValue: string | undefined;
  readonly maxAgeDays: number | undefined;

  constructor(options: TagBasedPolicyOptions) {
    const o = validateOptions<TagBasedPolicyOptions>("TagBasedPolicy", options, {
      tagKey: { type: "string", required: true },
      tagValue: { type: "string" },
      maxAgeDays: { type: "number", min: 0 },
      action: { type: "string" },
    });
    this.tagKey = o.tagKey;
    this.tagValue = o.tagValue;
    this.maxAgeDays = o.maxAgeDays;
    this.action = checkAction(this.name, o.action);
  }

  get description(): string {
    const tag = this.tagValue === undefined ? this.tagKey : `${this.tagKey}=${this.tagValue}`;
    return `remove items tagged ${tag}${this.maxAgeDays === undefined ? "" : ` older than ${this.maxAgeDays} days`}`;
  }

  select(items: readonly ItemMetadata[], nowMs: number): Set<string> {
    const cutoff =
      this.maxAgeDays === undefined ? Number.POSITIVE_INFINITY : nowMs - this.maxAgeDays * DAY_MS;
    return new Set(
      items
        .filter((item) => {
          if (!Object.hasOwn(item.tags, this.tagKey)) return false;
          if (this.tagValue !== undefined && item.tags[this.tagKey] !== this.tagValue) return false;
          return item.runTimeMs < cutoff;
        })
        .map((item) => item.id),
    );
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
