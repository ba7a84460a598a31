import type { ConformanceHarness } from "./harness.js";
import type { ConformanceGroup, ResolvedConformanceOptions } from "./options.js";

export interface CaseContext {
  harness: ConformanceHarness;
  options: ResolvedConformanceOptions;
  /** Marks the test skipped (with a reason) when the store lacks what it checks. */
  skip(note: string): never;
}

/** One conformance check. Cases are plain data so they can also be run outside `describeStoreConformance`. */
export interface ConformanceCase {
  group: ConformanceGroup;
  name: string;
  /** Uses the long timeout. */
  slow?: boolean;
  run(context: CaseContext): Promise<void>;
}
