export type { CleanupAction, CleanupResult } from "./cleanup.js";
export { type LedgerRecord, ledgerRecordAdapter } from "./ledger.js";
export type { ResolvedSchedule, RetentionSchedule, RetentionStoreOptions } from "./options.js";
export { type CompositeMode, CompositePolicy, type CompositePolicyOptions } from "./policies/composite.js";
export { CountBasedPolicy, type CountBasedPolicyOptions } from "./policies/count-based.js";
export { CustomPolicy, type CustomPolicyOptions } from "./policies/custom.js";
export {
  type ItemMetadata,
  RETENTION_ACTIONS,
  RetentionAction,
  type RetentionPolicy,
} from "./policies/policy.js";
export { SizeBasedPolicy, type SizeBasedPolicyOptions } from "./policies/size-based.js";
export { StatusBasedPolicy, type StatusBasedPolicyOptions } from "./policies/status-based.js";
export { TagBasedPolicy, type TagBasedPolicyOptions } from "./policies/tag-based.js";
export { TimeBasedPolicy, type TimeBasedPolicyOptions } from "./policies/time-based.js";
export { RetentionStore } from "./retention-store.js";
export type { SchedulerStatus } from "./scheduler.js";
