import { describe, expect, it } from "vitest";
import { classifySqlError, toSqlStoreError } from "../src/index.js";

const pgError = (code: string, message = "boom") => Object.assign(new Error(message), { code });
const context = { backend: "database", operation: "save", id: "r1" };

describe("SQL error mapping", () => {
  it.each([
    ["23505", "CONFLICT", false],
    ["40001", "CONFLICT", true],
    ["40P01", "CONFLICT", true],
    ["57P01", "CONNECTION", true],
    ["57P03", "CONNECTION", true],
    ["08006", "CONNECTION", true],
    ["53300", "CONNECTION", true],
    ["28P01", "PERMISSION", false],
    ["42501", "PERMISSION", false],
    ["22001", "INVALID_ARGUMENT", false],
    ["22P05", "INVALID_ARGUMENT", false],
    ["23502", "INVALID_ARGUMENT", false],
    ["57014", "TIMEOUT", false],
    ["3D000", "CONFIGURATION", false],
    ["42P01", "CONFIGURATION", false],
  ])("SQLSTATE %s is %s (retryable %s)", (sqlState, code, retryable) => {
    const error = toSqlStoreError(pgError(sqlState), "WRITE", context);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.details.sqlState).toBe(sqlState);
    expect(error.id).toBe("r1");
  });

  it("socket failures and lost connections are retryable CONNECTION errors", () => {
    for (const failure of [
      pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"),
      pgError("ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
    ]) {
      const error = toSqlStoreError(failure, "READ", context);
      expect(error.code).toBe("CONNECTION");
      expect(error.retryable).toBe(true);
      expect(error.name).toBe("StoreConnectionError");
    }
    expect(toSqlStoreError(new Error("timeout exceeded when trying to connect"), "READ", context).code).toBe(
      "TIMEOUT",
    );
  });

  it("unknown failures keep the operation's code and are not retried", () => {
    const error = toSqlStoreError(pgError("XX000"), "READ", context);
    expect([error.code, error.retryable]).toEqual(["READ", false]);
    expect(classifySqlError(new Error("plain"))).toBeUndefined();
  });

  it("unwraps drizzle's query error, so no parameter (document contents) reaches the message", () => {
    const wrapped = Object.assign(new Error("Failed query: insert ...\nparams: top-secret-document"), {
      query: "insert ...",
      params: ["top-secret-document"],
      cause: pgError("23505", "duplicate key value violates unique constraint"),
    });
    const error = toSqlStoreError(wrapped, "WRITE", context);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).not.toContain("top-secret-document");
    expect(error.message).toContain("duplicate key");
  });
});
