import { StoreConfigurationError, validateOptions } from "@truthound/store-core";
import { checkAction, type ItemMetadata, type RetentionAction, type RetentionPolicy } from "./policy.js";

export interface TimeBasedPolicyOptions {
  maxAgeDays?: number;
  maxAgeHours?: number;
  maxAgeMinutes?: number;
  action?: RetentionAction;
}

/** Selects items whose run time is older than the maximum age (the three fields add up). */
export class TimeBasedPolicy implements RetentionPolicy {
  readonly name = "TimeBasedPolicy";
  readonly action: RetentionAction | undefined;
  readonly maxAgeMs: number;

  constructor(options: TimeBasedPolicyOptions) {
    const o = validateOptions<TimeBasedPolicyOptions>("TimeBasedPolicy", options, {
      maxAgeDays: { type: "number", min: 0 },
      maxAgeHours: { type: "number", min: 0 },
      maxAgeMinutes: { type: "number", min: 0 },
      action: { type: "string" },
    });
    this.action = checkAction(this.name, o.action);
    this.maxAgeMs =
      ((o.maxAgeDays ?? 0) * 24 * 60 + (o.maxAgeHours ?? 0) * 60 + (o.maxAgeMinutes ?? 0)) * 60_000;
    if (!(this.maxAgeMs > 0)) {
      throw new StoreConfigurationError("TimeBasedPolicy: the maximum age must be positive", {
        details: { field: "maxAgeDays" },
      });
    }
  }

  get description(): string {
    return `remove items older than ${this.maxAgeMs / 3_600_000} hours`;
  }

  select(items: readonly ItemMetadata[], nowMs: number): Set<string> {
    const cutoff = nowMs - this.maxAgeMs;
    return new Set(items.filter((item) => item.runTimeMs < cutoff).map((item) => item.id));
  }

  actions(): RetentionAction[] {
    return this.action ? [this.action] : [];
  }
}
