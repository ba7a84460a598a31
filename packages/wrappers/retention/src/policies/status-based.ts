import { StoreConfigurationError, validateOptions } from "@truthound/store-core";
import {
  checkAction,
  DAY_MS,
  type ItemMetadata,
  type RetentionAction,
  type RetentionPolicy,
} from "./policy.js";

const STATUSES = ["success", "failure", "error", "warning"];

export interface StatusBasedPolicyOptions {
  status: string;
  /** Only items of that status older than this; without it every item of that status. */
  maxAgeDays?: number;
  action?: RetentionAction;
}

/** Selects items with the given status (older than `maxAgeDays` when set); other statuses are never selected. */
export class StatusBasedPolicy implements RetentionPolicy {
  readonly name = "StatusBasedPolicy";
  readonly action: RetentionAction | undefined;
  readonly status: string;
  readonly maxAgeDays: number | undefined;

  constructor(options: StatusBasedPolicyOptions) {
    const o = validateOptions<StatusBasedPolicyOptions>("StatusBasedPolicy", options, {
      status: { type: "string", required: true },
      maxAgeDays: { type: "number", min: 0 },
      action: { type: "string" },
    });
    if (!STATUSES.includes(o.status)) {
      throw new StoreConfigurationError(
        `StatusBasedPolicy: status must be one of ${STATUSES.join(", ")}, got ${JSON.stringify(o.status)}`,
        { details: { field: "status" } },
      );
    }
    this.status = o.status;
    this.maxAgeDays = o.maxAgeDays;
    this.action = checkAction(this.name, o.action);
  }

  get description(): string {
    return `remove ${this.status} items${this.maxAgeDays === undefined ? "" : ` older than ${this.maxAgeDays} days`}`;
  }

  select(items: readonly ItemMetadata[], nowMs: number): Set<string> {
    const cutoff =
      this.maxAgeDays === undefined ? Number.POSITIVE_INFINITY : nowMs - this.maxAgeDays * DAY_MS;
    return new Set(
      items.filter((item) => item.status === this.status && item.runTimeMs < cutoff).map((item) => item.id),
    );
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
