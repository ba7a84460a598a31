import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { mapGCSError } from "../src/index.js";

const ctx = { operation: "get", bucket: "my-bucket", key: "truthound/default/results/r1.json.gz" };

/** The shape of the SDK's ApiError: `code` is the HTTP status, `errors` the reasons. */
function apiError(status: number, message: string, reason = "") {
  return Object.assign(new Error(message), { code: status, errors: reason ? [{ reason, message }] : [] });
}

describe("mapGCSError", () => {
  it.each([
    [404, "No such object: my-bucket/r1", ctx, "NOT_FOUND", false],
    [412, "Precondition failed", { ...ctx, operation: "put" }, "CONFLICT", false],
    [409, "Conflict", { ...ctx, operation: "put" }, "CONFLICT", false],
    [403, "Forbidden", ctx, "PERMISSION", false],
    [401, "Unauthorized", ctx, "PERMISSION", false],
    [500, "Internal error", ctx, "CONNECTION", true],
    [503, "Backend unavailable", ctx, "CONNECTION", true],
    [429, "Rate limit", ctx, "CONNECTION", true],
    [408, "Request timeout", ctx, "CONNECTION", true],
    [400, "Invalid argument", { ...ctx, operation: "put" }, "WRITE", false],
    [400, "Invalid argument", ctx, "READ", false],
  ] as const)("%s %s -> %s", (status, message, context, code, retryable) => {
    const mapped = mapGCSError(apiError(status, message), context);
    expect(isStoreError(mapped, code)).toBe(true);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.backend).toBe("gcs");
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it("a string status code (gaxios) and a status on the response are recognised", () => {
    expect(mapGCSError(Object.assign(new Error("x"), { code: "412" }), ctx).code).toBe("CONFLICT");
    expect(mapGCSError(Object.assign(new Error("x"), { response: { status: 403 } }), ctx).code).toBe(
      "PERMISSION",
    );
  });

  it("a missing bucket is CONNECTION naming the bucket, on bucket calls and on object calls", () => {
    for (const operation of ["ensureReady", "list"]) {
      const mapped = mapGCSError(apiError(404, "Not Found", "notFound"), { operation, bucket: "no-such" });
      expect(mapped.code).toBe("CONNECTION");
      expect(mapped.retryable).toBe(false);
      expect(mapped.message).toContain("no-such");
    }
    const onKey = mapGCSError(apiError(404, "The specified bucket does not exist.", "notFound"), ctx);
    expect(onKey.code).toBe("CONNECTION");
    expect(onKey.message).toContain("my-bucket");
  });

  it("network failures are retryable CONNECTION errors, also when wrapped", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]) {
      const direct = mapGCSError(Object.assign(new Error("socket"), { code }), ctx);
      expect(direct.code).toBe("CONNECTION");
      expect(direct.retryable).toBe(true);
      const wrapped = mapGCSError(
        Object.assign(new Error("request failed"), { cause: Object.assign(new Error("inner"), { code }) }),
        ctx,
      );
      expect(wrapped.code).toBe("CONNECTION");
    }
    expect(mapGCSError(new Error("socket hang up"), ctx).code).toBe("CONNECTION");
  });

  it("a response Node's HTTP parser rejects (seen from fake-gcs-server) is a retryable CONNECTION error", () => {
    const parse = Object.assign(new Error("Parse Error: Expected HTTP/, RTSP/ or ICE/"), {
      code: "HPE_INVALID_CONSTANT",
    });
    const mapped = mapGCSError(Object.assign(new Error("request failed"), { cause: parse }), ctx);
    expect(mapped.code).toBe("CONNECTION");
    expect(mapped.retryable).toBe(true);
  });

  it("an abort is ABORTED, and store errors pass through unchanged", () => {
    expect(mapGCSError(Object.assign(new Error("aborted"), { name: "AbortError" }), ctx).code).toBe(
      "ABORTED",
    );
    const original = mapGCSError(apiError(403, "Forbidden"), ctx);
    expect(mapGCSError(original, ctx)).toBe(original);
  });

  it("messages name the object", () => {
    expect(mapGCSError(apiError(403, "Forbidden"), ctx).message).toContain(`gs://my-bucket/${ctx.key}`);
  });
});
