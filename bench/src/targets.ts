export type Comparator = ">=" | "<=";

/** A figure the issue sets a target for, and whether it was met. */
export interface TargetOutcome {
  /** What is measured, e.g. "save+get ops/s vs raw baseline". */
  metric: string;
  comparator: Comparator;
  target: number;
  actual: number;
  unit: string;
  pass: boolean;
}

export function checkTarget(
  metric: string,
  actual: number,
  comparator: Comparator,
  target: number,
  unit: string,
): TargetOutcome {
  const pass = comparator === ">=" ? actual >= target : actual <= target;
  return { metric, comparator, target, actual, unit, pass };
}
