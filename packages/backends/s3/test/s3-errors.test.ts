import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { mapS3Error } from "../src/index.js";

const ctx = { operation: "get", bucket: "my-bucket", key: "truthound/default/results/r1.json.gz" };

function sdkError(name: string, status: number | undefined, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: status === undefined ? {} : { httpStatusCode: status },
    ...extra,
  });
}

describe("mapS3Error", () => {
  it.each([
    ["NoSuchKey", 404, ctx, "NOT_FOUND", false],
    ["NotFound", 404, ctx, "NOT_FOUND", false],
    ["AccessDenied", 403, ctx, "PERMISSION", false],
    ["Forbidden", 403, ctx, "PERMISSION", false],
    ["PreconditionFailed", 412, ctx, "CONFLICT", false],
    ["ConditionalRequestConflict", 409, ctx, "CONFLICT", false],
    ["InternalError", 500, ctx, "CONNECTION", true],
    ["SlowDown", 503, ctx, "CONNECTION", true],
    ["InvalidArgument", 400, { ...ctx, operation: "put" }, "WRITE", false],
    ["InvalidArgument", 400, ctx, "READ", false],
  ] as const)("%s (%s) -> %s", (name, status, context, code, retryable) => {
    const mapped = mapS3Error(sdkError(name, status), context);
    expect(isStoreError(mapped, code)).toBe(true);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.backend).toBe("s3");
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it("a missing bucket is CONNECTION naming the bucket, from NoSuchBucket or a 404 without a key", () => {
    for (const error of [sdkError("NoSuchBucket", 404), sdkError("NotFound", 404)]) {
      const mapped = mapS3Error(error, { operation: "ensureReady", bucket: "no-such-bucket" });
      expect(mapped.code).toBe("CONNECTION");
      expect(mapped.message).toContain("no-such-bucket");
    }
    const onKey = mapS3Error(sdkError("NoSuchBucket", 404), ctx);
    expect(onKey.code).toBe("CONNECTION");
    expect(onKey.message).toContain("my-bucket");
  });

  it("network failures are retryable CONNECTION errors, also when wrapped", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]) {
      const direct = mapS3Error(Object.assign(new Error("socket"), { code }), ctx);
      expect(direct.code).toBe("CONNECTION");
      expect(direct.retryable).toBe(true);
      const wrapped = mapS3Error(
        Object.assign(new Error("outer"), { cause: Object.assign(new Error("inner"), { code }) }),
        ctx,
      );
      expect(wrapped.code).toBe("CONNECTION");
    }
    expect(mapS3Error(sdkError("TimeoutError", undefined), ctx).code).toBe("CONNECTION");
  });

  it("an abort is ABORTED, and store errors pass through unchanged", () => {
    expect(mapS3Error(sdkError("AbortError", undefined), ctx).code).toBe("ABORTED");
    const original = mapS3Error(sdkError("AccessDenied", 403), ctx);
    expect(mapS3Error(original, ctx)).toBe(original);
  });

  it("messages name the object", () => {
    expect(mapS3Error(sdkError("AccessDenied", 403), ctx).message).toContain(`s3://my-bucket/${ctx.key}`);
  });
});
