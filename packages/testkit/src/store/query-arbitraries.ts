import { RESULT_STATUSES, type StoreQuery, type ValidationResult } from "@truthound/store-core";
import fc from "fast-check";
import { makeResult } from "../fixtures.js";

/** Few assets, some differing only in case or outside the BMP, so ordering by code point is exercised. */
export const QUERY_ASSETS = ["orders", "Orders", "customers.csv", "ｚ-wide", "😀-emoji"] as const;
const ID_CHARS = ["a", "B", "z", "é", "😀", "ｚ", "-", "_", "0", "/", ":"] as const;
const BASE_TIME = Date.UTC(2024, 2, 10, 12, 0, 0);
const TIME_SLOTS = 6;
const TAG_VALUES = { env: ["prod", "dev"], team: ["core", "ml"] } as const;

export interface ItemSpec {
  id: string;
  asset: string;
  status: (typeof RESULT_STATUSES)[number];
  slot: number;
  tags: Record<string, string>;
}

const itemSpec: fc.Arbitrary<ItemSpec> = fc.record({
  id: fc
    .array(fc.constantFrom(...ID_CHARS), { minLength: 1, maxLength: 5 })
    .map((chars) => `r${chars.join("")}`),
  asset: fc.constantFrom(...QUERY_ASSETS),
  status: fc.constantFrom(...RESULT_STATUSES),
  slot: fc.integer({ min: 0, max: TIME_SLOTS - 1 }),
  tags: fc.record(
    { env: fc.constantFrom(...TAG_VALUES.env), team: fc.constantFrom(...TAG_VALUES.team) },
    { requiredKeys: [] },
  ),
});

/** Sets of results with distinct ids, few assets, statuses, tags and run times (so ties are common). */
export function itemSetArbitrary(maxItems: number): fc.Arbitrary<ItemSpec[]> {
  return fc.uniqueArray(itemSpec, {
    minLength: Math.min(5, maxItems),
    maxLength: maxItems,
    size: "max",
    selector: (spec) => spec.id,
  });
}

export function buildItems(specs: readonly ItemSpec[]): ValidationResult[] {
  return specs.map((spec) =>
    makeResult({
      runId: spec.id,
      runTime: BASE_TIME + spec.slot * 1000,
      dataAsset: spec.asset,
      status: spec.status,
      tags: spec.tags,
      validators: 1,
      seed: 1,
      metadata: { slot: spec.slot },
    }),
  );
}

function withOffset(ms: number, hours: number): string {
  const sign = hours < 0 ? "-" : "+";
  const local = new Date(ms + hours * 3_600_000).toISOString().replace("Z", "");
  return `${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`;
}

/** Bounds on and between the item times, as a Date, an ISO string (UTC or with an offset) or epoch ms. */
const timeBound: fc.Arbitrary<Date | string | number> = fc
  .tuple(fc.integer({ min: -1, max: TIME_SLOTS * 2 }), fc.constantFrom("date", "iso", "offset", "ms"))
  .map(([half, form]) => {
    const ms = BASE_TIME + half * 500;
    if (form === "date") return new Date(ms);
    if (form === "iso") return new Date(ms).toISOString();
    if (form === "offset") return withOffset(ms, half % 2 === 0 ? 2 : -5);
    return ms;
  });

/** `arbitrary` with probability `percent`/100, otherwise absent. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 100 - percent },
    { arbitrary, weight: percent },
  );
}

/**
 * Random queries using every StoreQuery parameter except `cursor`, which the property test derives from pages.
 * Filters are present only some of the time, so most queries match several items.
 */
export const queryArbitrary: fc.Arbitrary<StoreQuery> = fc
  .record({
    dataAsset: sometimes(fc.constantFrom(...QUERY_ASSETS, "missing-asset"), 25),
    status: sometimes(fc.constantFrom(...RESULT_STATUSES), 25),
    tags: sometimes(
      fc.record(
        { env: fc.constantFrom("prod", "dev", "qa"), team: fc.constantFrom(...TAG_VALUES.team) },
        { requiredKeys: [] },
      ),
      25,
    ),
    startTime: sometimes(timeBound, 25),
    endTime: sometimes(timeBound, 25),
    orderBy: sometimes(
      fc.constantFrom("runTime", "dataAsset", "status") as fc.Arbitrary<StoreQuery["orderBy"]>,
      75,
    ),
    ascending: sometimes(fc.boolean(), 75),
    offset: sometimes(fc.integer({ min: 0, max: 8 }), 35),
    limit: sometimes(fc.integer({ min: 0, max: 12 }), 50),
  })
  .map((query) => {
    const present: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) if (value !== undefined) present[key] = value;
    return present as StoreQuery;
  });

/** How a test continues from a page's cursor: another offset and page size. */
export const continuationArbitrary = fc.record({
  offset: fc.integer({ min: 0, max: 4 }),
  limit: fc.integer({ min: 1, max: 6 }),
});
