import type { ComparisonFigures } from "./harness.js";
import type { TargetOutcome } from "./targets.js";

export interface SuiteContext {
  samples: number;
  /** Smaller sizes for a quick check of the harness itself; figures are not meaningful. */
  quick: boolean;
  log: (line: string) => void;
}

export interface ComparisonRecord {
  name: string;
  description: string;
  figures: ComparisonFigures;
}

export interface Measurement {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface SuiteResult {
  id: string;
  title: string;
  /** What exactly runs, so the figures can be reproduced and judged. */
  setup: string[];
  comparisons: ComparisonRecord[];
  measurements: Measurement[];
  targets: TargetOutcome[];
  durationSec: number;
}

export interface Suite {
  id: string;
  title: string;
  run(context: SuiteContext): Promise<Omit<SuiteResult, "id" | "title" | "durationSec">>;
}
