import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyQuery,
  compareCodePoints,
  compareSortKeys,
  decodeCursor,
  encodeCursor,
  filterEntries,
  type IndexEntry,
  isStoreError,
  matchesQuery,
  type NormalizedQuery,
  normalizeQuery,
  type StoreQuery,
  sortKeyOf,
} from "../src/index.js";

function invalid(query: unknown): boolean {
  try {
    normalizeQuery(query as StoreQuery);
  } catch (error) {
    return isStoreError(error, "INVALID_ARGUMENT");
  }
  return false;
}

describe("normalizeQuery", () => {
  it("fills defaults", () => {
    expect(normalizeQuery()).toEqual({
      dataAsset: undefined,
      startMs: undefined,
      endMs: undefined,
      status: undefined,
      tags: {},
      limit: undefined,
      offset: 0,
      orderBy: "runTime",
      ascending: false,
      after: undefined,
    });
  });

  it("converts Date, ISO (naive read as UTC, with offset) and epoch ms to the same instant", () => {
    const ms = Date.UTC(2024, 4, 5, 6, 7, 8);
    for (const value of [
      new Date(ms),
      "2024-05-05T06:07:08Z",
      "2024-05-05T06:07:08",
      "2024-05-05T08:07:08+02:00",
      ms,
    ]) {
      expect(normalizeQuery({ startTime: value, endTime: value })).toMatchObject({ startMs: ms, endMs: ms });
    }
  });

  it.each([
    ["orderBy not whitelisted", { orderBy: "runId" }],
    ["orderBy snake_case", { orderBy: "run_time" }],
    ["negative limit", { limit: -1 }],
    ["fractional limit", { limit: 0.5 }],
    ["string limit", { limit: "5" }],
    ["negative offset", { offset: -1 }],
    ["unsafe offset", { offset: 2 ** 60 }],
    ["unknown key", { foo: 1 }],
    ["snake_case key", { data_asset: "x" }],
    ["bad status", { status: "ok" }],
    ["bad startTime", { startTime: "2024-13-01" }],
    ["bad endTime type", { endTime: true }],
    ["NaN date", { startTime: new Date(Number.NaN) }],
    ["non-string tag", { tags: { a: 1 } }],
    ["tags not an object", { tags: ["a"] }],
    ["ascending not boolean", { ascending: 1 }],
    ["dataAsset not string", { dataAsset: 3 }],
    ["query not an object", "query"],
    ["garbage cursor", { cursor: "%%%" }],
    ["empty cursor", { cursor: "" }],
    ["cursor of a non-cursor JSON", { cursor: Buffer.from('{"v":2}').toString("base64url") }],
    [
      "cursor with a bad key",
      { cursor: Buffer.from('{"v":1,"o":"runTime","a":false,"k":[1,2]}').toString("base64url") },
    ],
  ])("rejects %s with INVALID_ARGUMENT", (_why, query) => {
    expect(invalid(query)).toBe(true);
  });

  it("accepts a cursor only with the orderBy and direction it was made for", () => {
    const cursor = encodeCursor(["orders", 5, "id"], "dataAsset", true);
    expect(normalizeQuery({ cursor, orderBy: "dataAsset", ascending: true }).after).toEqual([
      "orders",
      5,
      "id",
    ]);
    expect(invalid({ cursor, orderBy: "dataAsset" })).toBe(true);
    expect(invalid({ cursor, ascending: true })).toBe(true);
    expect(decodeCursor(encodeCursor([5, 5, "é/😀"], "runTime", false), "runTime", false)).toEqual([
      5,
      5,
      "é/😀",
    ]);
  });
});

describe("compareCodePoints", () => {
  const codePoints = (s: string) => Array.from(s, (c) => c.codePointAt(0) as number);
  const byCodePoints = (a: string, b: string) => {
    const x = codePoints(a);
    const y = codePoints(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x.length - y.length;
  };

  it("orders like UTF-8 bytes and code points, not UTF-16 units (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const expected = Math.sign(byCodePoints(a, b));
        expect(Math.sign(compareCodePoints(a, b))).toBe(expected);
        expect(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
    expect(compareCodePoints("ｚ", "😀")).toBeLessThan(0);
    expect("ｚ" < "😀").toBe(false);
  });
});

const ASSETS = ["a", "B", "b", "😀", "ｚ"];
const entryArb: fc.Arbitrary<IndexEntry> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  dataAsset: fc.constantFrom(...ASSETS),
  runTimeMs: fc.integer({ min: 0, max: 5 }).map((t) => t * 1000),
  status: fc.constantFrom("success", "failure", "error", "warning"),
  tags: fc.record({ env: fc.constantFrom("p", "d") }, { requiredKeys: [] }),
});
const entriesArb = fc.uniqueArray(entryArb, { maxLength: 40, selector: (e) => e.id });
const queryArb: fc.Arbitrary<NormalizedQuery> = fc
  .record({
    dataAsset: fc.option(fc.constantFrom(...ASSETS), { nil: undefined, freq: 3 }),
    status: fc.option(fc.constantFrom("success", "failure"), { nil: undefined, freq: 3 }),
    startMs: fc.option(fc.integer({ min: -1000, max: 6000 }), { nil: undefined, freq: 3 }),
    endMs: fc.option(fc.integer({ min: -1000, max: 6000 }), { nil: undefined, freq: 3 }),
    env: fc.option(fc.constantFrom("p", "d"), { nil: undefined, freq: 3 }),
    orderBy: fc.constantFrom("runTime", "dataAsset", "status") as fc.Arbitrary<NormalizedQuery["orderBy"]>,
    ascending: fc.boolean(),
    offset: fc.integer({ min: 0, max: 10 }),
    limit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  })
  .map(({ env, ...q }) => ({ ...q, tags: env === undefined ? {} : { env }, after: undefined }));

describe("applyQuery (the reference semantics)", () => {
  it("returns matching entries only, sorted by [orderBy, runTime, id] in the requested direction (property)", () => {
    fc.assert(
      fc.property(entriesArb, queryArb, (entries, q) => {
        const all = applyQuery(entries, { ...q, offset: 0, limit: undefined }).entries;
        expect(all.length).toBe(filterEntries(entries, q).length);
        for (const e of all) expect(matchesQuery(e, q)).toBe(true);
        const sign = q.ascending ? 1 : -1;
        for (let i = 1; i < all.length; i++) {
          const order =
            sign *
            compareSortKeys(
              sortKeyOf(all[i - 1] as IndexEntry, q.orderBy),
              sortKeyOf(all[i] as IndexEntry, q.orderBy),
            );
          expect(order).toBeLessThan(0);
        }
        const page = applyQuery(entries, q);
        const end = q.limit === undefined ? undefined : q.offset + q.limit;
        expect(page.entries).toEqual(all.slice(q.offset, end));
        expect(page.nextCursor !== undefined).toBe(
          page.entries.length > 0 && (end ?? all.length) < all.length,
        );
      }),
      { numRuns: 500 },
    );
  });

  it("following nextCursor visits every match exactly once, in order (property)", () => {
    fc.assert(
      fc.property(entriesArb, queryArb, fc.integer({ min: 1, max: 7 }), (entries, q, size) => {
        const all = applyQuery(entries, { ...q, offset: 0, limit: undefined }).entries.map((e) => e.id);
        const seen: string[] = [];
        let query: NormalizedQuery = { ...q, offset: 0, limit: size };
        for (let guard = 0; guard < 100; guard++) {
          const page = applyQuery(entries, query);
          seen.push(...page.entries.map((e) => e.id));
          if (page.nextCursor === undefined) break;
          query = { ...query, after: decodeCursor(page.nextCursor, q.orderBy, q.ascending) };
        }
        expect(seen).toEqual(all);
      }),
      { numRuns: 500 },
    );
  });

  it("time bounds are inclusive and tags must all match", () => {
    const entries: IndexEntry[] = [
      { id: "1", dataAsset: "a", runTimeMs: 1000, status: "success", tags: { env: "p", team: "x" } },
      { id: "2", dataAsset: "a", runTimeMs: 2000, status: "success", tags: { env: "p" } },
      { id: "3", dataAsset: "a", runTimeMs: 3000, status: "success", tags: {} },
    ];
    const ids = (q: StoreQuery) => applyQuery(entries, normalizeQuery(q)).entries.map((e) => e.id);
    expect(ids({ startTime: 1000, endTime: 2000 })).toEqual(["2", "1"]);
    expect(ids({ tags: { env: "p", team: "x" } })).toEqual(["1"]);
    expect(ids({ tags: { env: "p" }, ascending: true })).toEqual(["1", "2"]);
  });
});
