import { describe, expect, it } from "vitest";
import {
  type ConformanceCase,
  describeStoreConformance,
  runConformanceCase,
  STORE_CONFORMANCE_CASES,
} from "../src/index.js";
import { type MapStoreFlaws, mapStoreFactory } from "./support/map-store.js";

function caseNamed(fragment: string): ConformanceCase {
  const found = STORE_CONFORMANCE_CASES.filter((c) => c.name.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one case matching '${fragment}', found ${found.length}`);
  return found[0] as ConformanceCase;
}

const FLAWS: Array<[string, MapStoreFlaws, string]> = [
  ["ignoring ascending", { ignoresAscending: true }, "every StoreQuery parameter"],
  ["ignoring ascending (explicit order test)", { ignoresAscending: true }, "default order is newest first"],
  ["counting without filters", { countsEverything: true }, "count matches the filters"],
  ["an untyped not-found error", { untypedNotFound: true }, "get of a missing id throws NOT_FOUND"],
  ["a racy conditional write", { racyConditionalWrites: true }, "same ifMatch etag: exactly one wins"],
  ["a racy conditional create", { racyConditionalWrites: true }, "concurrent creates with ifNoneMatch"],
  ["sharing objects with the caller", { aliases: true }, "mutating what get or query returned"],
];

describe("the store conformance suite fails flawed stores", () => {
  for (const [flaw, flaws, fragment] of FLAWS) {
    it(`catches ${flaw}`, async () => {
      const conformanceCase = caseNamed(fragment);
      await expect(
        runConformanceCase(conformanceCase, mapStoreFactory(flaws), { propertyRuns: 40, seed: 42 }),
      ).rejects.toThrow();
      await expect(runConformanceCase(conformanceCase, mapStoreFactory())).resolves.toBeUndefined();
    });
  }

  it("rejects unknown options and unknown groups", async () => {
    const crud = caseNamed("delete removes");
    await expect(runConformanceCase(crud, mapStoreFactory(), { skp: [] } as never)).rejects.toThrow(
      /unknown option 'skp'/,
    );
    await expect(
      runConformanceCase(crud, mapStoreFactory(), { skip: ["crud", "nope"] as never }),
    ).rejects.toThrow(/unknown group 'nope'/);
    expect(() => describeStoreConformance("bad", mapStoreFactory(), { propertyRuns: 0 })).toThrow(
      /propertyRuns/,
    );
  });

  it("has a unique name for every case", () => {
    const names = STORE_CONFORMANCE_CASES.map((c) => `${c.group}/${c.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});
