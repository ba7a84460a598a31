import type { Store, StoreCapabilities, ValidationResult } from "@truthound/store-core";

/** What the suite passes to the factory for every store it opens. */
export interface StoreFactoryContext {
  /**
   * A namespace (1-128 of `[A-Za-z0-9_.-]`) unique to the current test. The suite asks for a second instance
   * with the same namespace when it checks that instances share data; different namespaces must be isolated.
   */
  namespace: string;
}

/** Returns a new, open-able store. The suite closes every store it opened after each test. */
export type ConformanceStoreFactory = (
  context: StoreFactoryContext,
) => Store<ValidationResult> | Promise<Store<ValidationResult>>;

export const CONFORMANCE_GROUPS = [
  "capabilities",
  "crud",
  "notFound",
  "ids",
  "listing",
  "query",
  "invalidQueries",
  "namespaces",
  "conditionalWrites",
  "derivedOperations",
  "batches",
  "largeDocuments",
  "aliasing",
  "lifecycle",
  "roundTrip",
] as const;

export type ConformanceGroup = (typeof CONFORMANCE_GROUPS)[number];

export interface StoreConformanceOptions {
  /** Capabilities the store must declare; checked against `store.capabilities`. */
  capabilities?: Partial<StoreCapabilities>;
  /** Groups not to run; they are reported as skipped. */
  skip?: readonly ConformanceGroup[];
  /**
   * Two stores the factory opens with the same namespace see the same data (and, for persistent stores, the
   * data survives closing one and opening another). Default: `capabilities.persistent` as declared here.
   */
  sharedNamespaces?: boolean;
  /** The store never shares mutable objects with its caller (saving or getting copies). Default true. */
  copiesItems?: boolean;
  /** Size of the large-document test. Default 5 MiB. */
  largeDocumentBytes?: number;
  /** Items saved for the listing and pagination test. Default 1,050 (past the usual 1,000-item page). */
  listingItems?: number;
  /** Runs of each property test. Default 30. */
  propertyRuns?: number;
  /** Most items a property-test run saves. Default 60. */
  propertyMaxItems?: number;
  /** Concurrent writers in the conditional-write race. Default 8. */
  raceWriters?: number;
  /** fast-check seed, to reproduce a failure. */
  seed?: number;
  /** Timeout of ordinary tests in ms. Default 30,000. */
  testTimeoutMs?: number;
  /** Timeout of the large, listing and property tests in ms. Default 180,000. */
  slowTestTimeoutMs?: number;
  /** Called after each test with every namespace it used, after its stores are closed (to delete their data). */
  cleanup?: (namespaces: readonly string[]) => void | Promise<void>;
}

export interface ResolvedConformanceOptions {
  capabilities: Partial<StoreCapabilities>;
  skip: ReadonlySet<ConformanceGroup>;
  sharedNamespaces: boolean;
  copiesItems: boolean;
  largeDocumentBytes: number;
  listingItems: number;
  propertyRuns: number;
  propertyMaxItems: number;
  raceWriters: number;
  seed: number | undefined;
  testTimeoutMs: number;
  slowTestTimeoutMs: number;
  cleanup: ((namespaces: readonly string[]) => void | Promise<void>) | undefined;
}

const OPTION_KEYS = new Set<string>([
  "capabilities",
  "skip",
  "sharedNamespaces",
  "copiesItems",
  "largeDocumentBytes",
  "listingItems",
  "propertyRuns",
  "propertyMaxItems",
  "raceWriters",
  "seed",
  "testTimeoutMs",
  "slowTestTimeoutMs",
  "cleanup",
]);

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`describeStoreConformance: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and rejects unknown or malformed options, so a typo never silently weakens the suite. */
export function resolveConformanceOptions(options: StoreConformanceOptions = {}): ResolvedConformanceOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`describeStoreConformance: unknown option '${key}'`);
  }
  for (const group of options.skip ?? []) {
    if (!(CONFORMANCE_GROUPS as readonly string[]).includes(group)) {
      throw new TypeError(
        `describeStoreConformance: unknown group '${group}' in skip (groups: ${CONFORMANCE_GROUPS.join(", ")})`,
      );
    }
  }
  const capabilities = options.capabilities ?? {};
  return {
    capabilities,
    skip: new Set(options.skip ?? []),
    sharedNamespaces: options.sharedNamespaces ?? capabilities.persistent === true,
    copiesItems: options.copiesItems ?? true,
    largeDocumentBytes: positiveInteger(options.largeDocumentBytes, "largeDocumentBytes", 5 * 1024 * 1024),
    listingItems: positiveInteger(options.listingItems, "listingItems", 1_050),
    propertyRuns: positiveInteger(options.propertyRuns, "propertyRuns", 30),
    propertyMaxItems: positiveInteger(options.propertyMaxItems, "propertyMaxItems", 60),
    raceWriters: positiveInteger(options.raceWriters, "raceWriters", 8),
    seed: options.seed,
    testTimeoutMs: positiveInteger(options.testTimeoutMs, "testTimeoutMs", 30_000),
    slowTestTimeoutMs: positiveInteger(options.slowTestTimeoutMs, "slowTestTimeoutMs", 180_000),
    cleanup: options.cleanup,
  };
}
