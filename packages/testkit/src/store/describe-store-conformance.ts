import { describe, it } from "vitest";
import type { ConformanceCase } from "./case.js";
import { STORE_CONFORMANCE_CASES } from "./cases/index.js";
import { ConformanceHarness } from "./harness.js";
import {
  CONFORMANCE_GROUPS,
  type ConformanceStoreFactory,
  type ResolvedConformanceOptions,
  resolveConformanceOptions,
  type StoreConformanceOptions,
} from "./options.js";

function skipOutsideVitest(note: string): never {
  throw new Error(`skipped: ${note}`);
}

async function runResolved(
  conformanceCase: ConformanceCase,
  factory: ConformanceStoreFactory,
  options: ResolvedConformanceOptions,
  skip: (note: string) => never,
): Promise<void> {
  const harness = new ConformanceHarness(factory, options);
  let failure: unknown;
  try {
    await conformanceCase.run({ harness, options, skip });
  } catch (error) {
    failure = error;
  }
  try {
    await harness.dispose();
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw failure;
}

/**
 * Runs one case and closes the stores it opened. Lets a test assert that a deliberately broken store fails a
 * case; a case that would be skipped throws an error starting with "skipped:".
 */
export async function runConformanceCase(
  conformanceCase: ConformanceCase,
  factory: ConformanceStoreFactory,
  options: StoreConformanceOptions = {},
): Promise<void> {
  return runResolved(conformanceCase, factory, resolveConformanceOptions(options), skipOutsideVitest);
}

/**
 * Registers the store conformance suite with vitest: one `describe` per group, one test per case.
 * `factory` is called for every store a test needs, with a namespace unique to that test.
 */
export function describeStoreConformance(
  name: string,
  factory: ConformanceStoreFactory,
  options: StoreConformanceOptions = {},
): void {
  const resolved = resolveConformanceOptions(options);
  describe(`${name}: store conformance`, () => {
    for (const group of CONFORMANCE_GROUPS) {
      const describeGroup = resolved.skip.has(group) ? describe.skip : describe;
      describeGroup(group, () => {
        for (const conformanceCase of STORE_CONFORMANCE_CASES.filter((c) => c.group === group)) {
          it(
            conformanceCase.name,
            (context) => runResolved(conformanceCase, factory, resolved, (note) => context.skip(note)),
            conformanceCase.slow ? resolved.slowTestTimeoutMs : resolved.testTimeoutMs,
          );
        }
      });
    }
  });
}
