import { RestError } from "@azure/storage-blob";
import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { mapAzureError } from "../src/index.js";

const ctx = { operation: "get", container: "results", key: "truthound/default/results/r1.json.gz" };

function restError(statusCode: number | undefined, errorCode: string | undefined, onHead = false) {
  // Errors of HEAD requests have no body: the code only arrives in `details.errorCode` (x-ms-error-code).
  const error = new RestError(onHead ? "" : `${errorCode} happened\nRequestId:1`, {
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(errorCode === undefined || onHead ? {} : { code: errorCode }),
  });
  return Object.assign(error, { details: errorCode === undefined ? undefined : { errorCode } });
}

describe("mapAzureError", () => {
  it.each([
    [404, "BlobNotFound", ctx, "NOT_FOUND", false],
    [404, undefined, ctx, "NOT_FOUND", false],
    [403, "AuthorizationFailure", ctx, "PERMISSION", false],
    [403, "AuthorizationPermissionMismatch", { ...ctx, operation: "put" }, "PERMISSION", false],
    [401, undefined, ctx, "PERMISSION", false],
    [412, "ConditionNotMet", { ...ctx, operation: "put" }, "CONFLICT", false],
    [409, "BlobAlreadyExists", { ...ctx, operation: "put" }, "CONFLICT", false],
    [409, "BlobArchived", ctx, "READ", false],
    [500, "InternalError", ctx, "CONNECTION", true],
    [503, "ServerBusy", ctx, "CONNECTION", true],
    [429, undefined, ctx, "CONNECTION", true],
    [400, "InvalidHeaderValue", { ...ctx, operation: "put" }, "WRITE", false],
    [400, "InvalidQueryParameterValue", ctx, "READ", false],
    [409, "LeaseIdMissing", { ...ctx, operation: "delete" }, "WRITE", false],
  ] as const)("%s %s -> %s", (status, errorCode, context, code, retryable) => {
    const mapped = mapAzureError(restError(status, errorCode), context);
    expect(isStoreError(mapped, code), mapped.message).toBe(true);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.backend).toBe("azure");
    expect(mapped.cause).toBeInstanceOf(RestError);
    expect(mapped.details.errorCode).toBe(errorCode);
  });

  it("reads the code of HEAD errors from details.errorCode", () => {
    expect(mapAzureError(restError(404, "BlobNotFound", true), { ...ctx, operation: "head" }).code).toBe(
      "NOT_FOUND",
    );
    const container = mapAzureError(restError(404, "ContainerNotFound", true), { ...ctx, operation: "head" });
    expect(container.code).toBe("CONNECTION");
  });

  it("a missing container is a non-retryable CONNECTION error naming it, also on a blob operation", () => {
    for (const context of [{ operation: "ensureReady", container: "no-such-container" }, ctx]) {
      const mapped = mapAzureError(restError(404, "ContainerNotFound"), context);
      expect(mapped.code).toBe("CONNECTION");
      expect(mapped.retryable).toBe(false);
      expect(mapped.message).toContain(JSON.stringify(context.container));
    }
    const noKey = mapAzureError(restError(404, undefined), { operation: "ensureReady", container: "c-1" });
    expect(noKey.code).toBe("CONNECTION");
  });

  it("an archived blob names the Archive tier and how to read it again", () => {
    const mapped = mapAzureError(restError(409, "BlobArchived"), ctx);
    expect(mapped.message).toContain("Archive access tier");
    expect(mapped.message).toContain("setAccessTier");
    expect(mapped.details.accessTier).toBe("Archive");
  });

  it("network failures are retryable CONNECTION errors, also when wrapped", () => {
    for (const code of [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "ENOTFOUND",
      "REQUEST_SEND_ERROR",
    ]) {
      const direct = mapAzureError(new RestError(`connect ${code}`, { code }), ctx);
      expect(direct.code).toBe("CONNECTION");
      expect(direct.retryable).toBe(true);
      const wrapped = mapAzureError(
        Object.assign(new Error("outer"), { cause: Object.assign(new Error("inner"), { code }) }),
        ctx,
      );
      expect(wrapped.code).toBe("CONNECTION");
    }
  });

  it("@azure/identity failures: no credential is CONFIGURATION, a refused one PERMISSION", () => {
    const unavailable = Object.assign(new Error("no credential"), { name: "CredentialUnavailableError" });
    expect(mapAzureError(unavailable, ctx).code).toBe("CONFIGURATION");
    const refused = Object.assign(new Error("bad secret"), { name: "AuthenticationError" });
    expect(mapAzureError(refused, ctx).code).toBe("PERMISSION");
  });

  it("an abort is ABORTED, store errors pass through, and messages name the blob without the request id", () => {
    expect(mapAzureError(Object.assign(new Error("x"), { name: "AbortError" }), ctx).code).toBe("ABORTED");
    const original = mapAzureError(restError(403, "AuthorizationFailure"), ctx);
    expect(mapAzureError(original, ctx)).toBe(original);
    expect(original.message).toContain(`results/${ctx.key}`);
    expect(original.message).not.toContain("RequestId");
  });
});
