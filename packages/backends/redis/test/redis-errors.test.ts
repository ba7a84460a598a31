import { isStoreError } from "@truthound/store-core";
import { ReplyError } from "ioredis";
import { describe, expect, it } from "vitest";
import { mapRedisError } from "../src/index.js";

const context = { operation: "get", id: "x", fallback: "READ" as const };

function errorWith(fields: Record<string, unknown>, message = "boom"): Error {
  return Object.assign(new Error(message), fields);
}

describe("mapRedisError", () => {
  it.each([
    [errorWith({ code: "ECONNREFUSED" }, "connect ECONNREFUSED 127.0.0.1:1"), "CONNECTION", true],
    [errorWith({ code: "ECONNRESET" }), "CONNECTION", true],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), "CONNECTION", true],
    [new Error("Connection is closed."), "CONNECTION", true],
    [
      errorWith({ name: "MaxRetriesPerRequestError" }, "Reached the max retries per request limit"),
      "CONNECTION",
      true,
    ],
    [new Error("Command timed out"), "TIMEOUT", true],
    [new ReplyError("LOADING Redis is loading the dataset in memory"), "CONNECTION", true],
    [new ReplyError("BUSY Redis is busy running a script"), "CONNECTION", true],
    [new ReplyError("READONLY You can't write against a read only replica."), "CONNECTION", true],
    [new ReplyError("NOAUTH Authentication required."), "PERMISSION", false],
    [new ReplyError("WRONGPASS invalid username-password pair"), "PERMISSION", false],
    [new ReplyError("NOPERM this user has no permissions"), "PERMISSION", false],
    [new ReplyError("WRONGTYPE Operation against a key holding the wrong kind of value"), "INTEGRITY", false],
    [new ReplyError("OOM command not allowed when used memory > 'maxmemory'"), "READ", false],
    [new Error("something else"), "READ", false],
  ])("%s → %s (retryable %s)", (error, code, retryable) => {
    const mapped = mapRedisError(error, context);
    expect(isStoreError(mapped, code as never), `${mapped.code}: ${mapped.message}`).toBe(true);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.cause).toBe(error);
    expect(mapped.backend).toBe("redis");
  });

  it("uses the operation's fallback code for other replies", () => {
    expect(mapRedisError(new ReplyError("ERR unknown"), { operation: "save", fallback: "WRITE" }).code).toBe(
      "WRITE",
    );
  });
});
