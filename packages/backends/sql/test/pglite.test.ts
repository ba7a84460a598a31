import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { gzipCodec, isStoreError, ValidationResult, ValidatorResult } from "@truthound/store-core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlStore } from "../src/index.js";
import { expectHostileStringsInert } from "./helpers/injection.js";

const result = (runId: string, message: string, validatorName = "not_null") =>
  new ValidationResult({
    runId,
    dataAsset: "orders",
    status: "failure",
    results: [new ValidatorResult({ validatorName, success: false, message })],
  });

describe("SqlStore on PGlite", () => {
  let pglite: PGlite | undefined;
  beforeAll(async () => {
    pglite = new PGlite();
    await pglite.waitReady;
    await pglite.exec("CREATE TABLE canary (n integer); INSERT INTO canary VALUES (1), (2)");
  }, 120_000);
  afterAll(async () => pglite?.close());

  it("with no connectionUrl the store opens its own in-memory PGlite (the embedded default)", async () => {
    const store = new SqlStore();
    expect(store.capabilities.persistent).toBe(false);
    expect(store.capabilities.multiProcess).toBe(false);
    await store.save(result("own", "missing values"));
    expect((await store.get("own")).runId).toBe("own");
    expect(store.getPoolStatus()).toMatchObject({ driver: "pglite", dataDir: "memory://" });
    const error = await store.recycleConnections().catch((e: unknown) => e);
    expect(isStoreError(error, "UNSUPPORTED")).toBe(true);
    await store.close();
  });

  it("dataDir keeps the data across close and reopen", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tt-pglite-"));
    try {
      const first = new SqlStore({ dataDir: join(dir, "db") });
      expect(first.capabilities.persistent).toBe(true);
      await first.save(result("kept", "still here"));
      await first.close();
      const second = new SqlStore({ dataDir: join(dir, "db") });
      expect((await second.get("kept")).runId).toBe("kept");
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("full-text search over validator names and messages, combined with query filters and a cursor", async () => {
    const store = new SqlStore({ pglite: pglite as PGlite, namespace: "search" });
    await store.save(result("a", "Found 12 null values in column email"));
    await store.save(result("b", "Column email has duplicate values", "unique"));
    await store.save(result("c", "Row count below threshold", "row_count"));
    await new SqlStore({ pglite: pglite as PGlite, namespace: "other" }).save(
      result("z", "null values in email"),
    );
    expect((await store.search("email")).map((r) => r.runId).sort()).toEqual(["a", "b"]);
    expect((await store.search("null email")).map((r) => r.runId)).toEqual(["a"]);
    expect((await store.search('"duplicate values"')).map((r) => r.runId)).toEqual(["b"]);
    expect((await store.search("email -duplicate")).map((r) => r.runId)).toEqual(["a"]);
    expect((await store.search("row_count")).map((r) => r.runId)).toEqual(["c"]);
    expect(await store.search("email", { status: "success" })).toEqual([]);
    const page = await store.searchPage("email or threshold", { limit: 2, ascending: true });
    expect(page.items).toHaveLength(2);
    const rest = await store.searchPage("email or threshold", {
      limit: 2,
      ascending: true,
      cursor: page.nextCursor as string,
    });
    expect([...page.items, ...rest.items].map((r) => r.runId).sort()).toEqual(["a", "b", "c"]);
    const empty = await store.search(" ").catch((e: unknown) => e);
    expect(isStoreError(empty, "INVALID_ARGUMENT")).toBe(true);
  });

  it("with a codec chain documents are stored as bytes: readable, but search is UNSUPPORTED", async () => {
    const store = new SqlStore({ pglite: pglite as PGlite, namespace: "encoded", codecs: [gzipCodec()] });
    await store.save(result("enc", "secret message"));
    expect((await store.get("enc")).results[0]?.message).toBe("secret message");
    const error = await store.search("secret").catch((e: unknown) => e);
    expect(isStoreError(error, "UNSUPPORTED")).toBe(true);
    const rows = await store.executeWithRetry((db) =>
      db.execute(
        sql`SELECT data_json, document, octet_length(payload) AS bytes FROM validation_results WHERE namespace = 'encoded'`,
      ),
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
      { data_json: "", document: null, bytes: expect.any(Number) },
    ]);
  });

  it("hostile strings are stored and matched verbatim, never executed", async () => {
    const store = new SqlStore({ pglite: pglite as PGlite, namespace: "hostile" });
    const canaryRows = async () =>
      (await (pglite as PGlite).query<{ n: number }>("SELECT count(*)::int AS n FROM canary")).rows[0]?.n ??
      -1;
    await expectHostileStringsInert(store, canaryRows);
  });
});
