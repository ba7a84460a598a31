import { describe, expect, it } from "vitest";
import { Expectation, ExpectationSuite, expectationSuiteAdapter, isStoreError } from "../src/index.js";

describe("ExpectationSuite", () => {
  it("serializes in Python's shape and key order and round-trips with unknown keys", () => {
    const suite = new ExpectationSuite({
      name: "customers_suite",
      dataAsset: "customers.csv",
      expectations: [
        new Expectation({
          expectationType: "expect_column_values_to_not_be_null",
          column: "email",
          mostly: 0.95,
        }),
        new Expectation({
          expectationType: "expect_table_row_count_to_be_between",
          kwargs: { min_value: 1 },
        }),
      ],
      meta: { owner: "data-team" },
      createdAt: "2024-01-01T00:00:00",
      updatedAt: "2024-02-01T12:00:00.000500+00:00",
      tags: { env: "prod" },
      extra: { version: 3 },
    });
    const dict = suite.toDict();
    expect(Object.keys(dict)).toEqual([
      "name",
      "data_asset",
      "expectations",
      "meta",
      "created_at",
      "updated_at",
      "tags",
      "version",
    ]);
    expect(Object.keys((dict.expectations as object[])[0] as object)).toEqual([
      "expectation_type",
      "column",
      "kwargs",
      "meta",
      "enabled",
      "mostly",
    ]);
    expect(dict.created_at).toBe("2024-01-01T00:00:00+00:00");
    expect(dict.updated_at).toBe("2024-02-01T12:00:00.000500+00:00");
    const again = ExpectationSuite.fromDict(JSON.parse(JSON.stringify(dict)));
    expect(again.toDict()).toEqual(dict);
    expect(again.id).toBe("customers_suite");
    expect(again.expectations[1]?.column).toBeNull();
    expect(again.expectations[1]?.enabled).toBe(true);
    expect(again.expectations[1]?.mostly).toBe(1);
  });

  it("create builds expectations from plain objects", () => {
    const suite = ExpectationSuite.create("s", "a", [{ expectationType: "expect_x", column: "c" }]);
    expect(suite.expectations[0]).toBeInstanceOf(Expectation);
    expect(suite.expectations[0]?.column).toBe("c");
  });

  it("rejects malformed suites with SERIALIZATION", () => {
    for (const data of [
      null,
      { name: "s" },
      { name: "s", data_asset: "a", expectations: {} },
      { name: "s", data_asset: "a", expectations: [{}] },
    ]) {
      let error: unknown;
      try {
        ExpectationSuite.fromDict(data);
      } catch (caught) {
        error = caught;
      }
      expect(isStoreError(error, "SERIALIZATION"), JSON.stringify(data)).toBe(true);
    }
  });

  it("the adapter indexes a suite by name, asset and update time", () => {
    const suite = new ExpectationSuite({
      name: "n",
      dataAsset: "a",
      updatedAt: "2024-03-01T00:00:00Z",
      tags: { t: "1" },
    });
    expect(expectationSuiteAdapter.entryOf(suite)).toEqual({
      id: "n",
      dataAsset: "a",
      runTimeMs: Date.UTC(2024, 2, 1),
      status: "success",
      tags: { t: "1" },
    });
    const copy = expectationSuiteAdapter.clone(suite);
    copy.tags.t = "2";
    expect(suite.tags.t).toBe("1");
  });
});
