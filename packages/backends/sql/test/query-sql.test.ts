import { normalizeQuery } from "@truthound/store-core";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { orderClause, whereClause } from "../src/query-sql.js";
import { resultsTable } from "../src/schema.js";

const table = resultsTable("validation_results");
const dialect = new PgDialect();
const render = (query: Parameters<typeof normalizeQuery>[0]) => {
  const q = normalizeQuery(query);
  return dialect.sqlToQuery(
    sql`WHERE ${whereClause(table, "ns", q, true)} ORDER BY ${sql.join(orderClause(table, q), sql`, `)}`,
  );
};

describe("StoreQuery pushed down to SQL", () => {
  it("every filter becomes a parameterised condition, always scoped to the namespace", () => {
    const { sql: text, params } = render({
      dataAsset: "orders",
      status: "failure",
      startTime: "2024-01-01T00:00:00Z",
      endTime: 1_704_153_600_000,
      tags: { env: "prod" },
    });
    expect(text).toContain('"validation_results"."namespace" = $1');
    expect(text).toContain('"validation_results"."data_asset" = $2');
    expect(text).toContain('"validation_results"."status" = $3');
    expect(text).toContain('"validation_results"."run_time_ms" >= $4');
    expect(text).toContain('"validation_results"."run_time_ms" <= $5');
    expect(text).toContain('"validation_results"."tags" @> $6::jsonb');
    expect(params).toEqual([
      "ns",
      "orders",
      "failure",
      1_704_067_200_000,
      1_704_153_600_000,
      '{"env":"prod"}',
    ]);
  });

  it("orders by [orderBy, run time, id] in one direction and continues after the cursor with a row comparison", () => {
    const first = render({ orderBy: "dataAsset", ascending: true, limit: 1 });
    expect(first.sql).toContain(
      'ORDER BY "validation_results"."data_asset" asc, "validation_results"."run_time_ms" asc, "validation_results"."run_id" asc',
    );
    const cursor = Buffer.from(
      JSON.stringify({ v: 1, o: "status", a: false, k: ["success", 5, "id-9"] }),
    ).toString("base64url");
    const next = render({ orderBy: "status", cursor });
    expect(next.sql).toContain(
      '("validation_results"."status", "validation_results"."run_time_ms", "validation_results"."run_id") < ($2::text, $3::bigint, $4::text)',
    );
    expect(next.params).toEqual(["ns", "success", 5, "id-9"]);
    const byTime = render({
      cursor: Buffer.from(JSON.stringify({ v: 1, o: "runTime", a: false, k: [7, 7, "x"] })).toString(
        "base64url",
      ),
    });
    expect(byTime.sql).toContain(
      '("validation_results"."run_time_ms", "validation_results"."run_id") < ($2::bigint, $3::text)',
    );
  });
});
