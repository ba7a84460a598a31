import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Storage } from "@google-cloud/storage";
import { getStore, isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { GCSStore } from "../src/index.js";

function configurationError(make: () => unknown, field: string): void {
  try {
    make();
  } catch (error) {
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    expect((error as Error).message).toContain(field);
    return;
  }
  throw new Error(`expected a CONFIGURATION error about ${field}`);
}

function keyFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "gcs-options-")), "key.json");
  writeFileSync(path, content);
  return path;
}

describe("GCSStore options", () => {
  it("requires a valid bucket name", () => {
    configurationError(() => new GCSStore({} as never), "bucket");
    configurationError(() => new GCSStore({ bucket: "Bad Bucket" }), "bucket");
    configurationError(() => new GCSStore({ bucket: "goog-bucket" }), "bucket");
    configurationError(() => new GCSStore({ bucket: "ab" }), "bucket");
    expect(new GCSStore({ bucket: "my_bucket.example-1" }).bucket).toBe("my_bucket.example-1");
  });

  it("rejects unknown and mistyped options naming the field", () => {
    configurationError(() => new GCSStore({ bucket: "b-1", projectId: "p" } as never), "projectId");
    configurationError(
      () => new GCSStore({ bucket: "b-1", useCompression: "yes" } as never),
      "useCompression",
    );
    configurationError(() => new GCSStore({ bucket: "b-1", project: "Not A Project" }), "project");
    configurationError(() => new GCSStore({ bucket: "b-1", apiEndpoint: "localhost:4443" }), "apiEndpoint");
    configurationError(() => new GCSStore({ bucket: "b-1", apiEndpoint: "ftp://x" }), "apiEndpoint");
    configurationError(() => new GCSStore({ bucket: "b-1", prefix: "../escape" }), "prefix");
    configurationError(() => new GCSStore({ bucket: "b-1", namespace: "a/b" }), "namespace");
    configurationError(
      () => new GCSStore({ bucket: "b-1", compatibility: "legacy" } as never),
      "compatibility",
    );
    configurationError(() => new GCSStore({ bucket: "b-1", resumableThresholdBytes: -1 }), "resumable");
    configurationError(() => new GCSStore({ bucket: "b-1", maxRetries: 1.5 }), "maxRetries");
    configurationError(() => new GCSStore({ bucket: "b-1", operationTimeoutMs: 0 }), "operationTimeoutMs");
  });

  it("credentialsPath must name a readable credentials JSON file", () => {
    configurationError(
      () => new GCSStore({ bucket: "b-1", credentialsPath: "/nonexistent/key.json" }),
      "credentialsPath",
    );
    configurationError(
      () => new GCSStore({ bucket: "b-1", credentialsPath: keyFile("not json") }),
      "credentialsPath",
    );
    configurationError(
      () => new GCSStore({ bucket: "b-1", credentialsPath: keyFile('{"no_type": 1}') }),
      "credentialsPath",
    );
  });

  it("codecs cannot be combined with python compatibility", () => {
    configurationError(
      () => new GCSStore({ bucket: "b-1", compatibility: "python", codecs: [{} as never] }),
      "codecs",
    );
  });

  it("a caller-supplied client excludes the client settings and is used as given", () => {
    const client = new Storage({ projectId: "caller-project" });
    for (const [field, value] of [
      ["project", "other-project"],
      ["apiEndpoint", "http://127.0.0.1:9"],
      ["maxRetries", 1],
      ["credentialsPath", keyFile('{"type":"service_account"}')],
    ] as const) {
      configurationError(() => new GCSStore({ bucket: "b-1", client, [field]: value }), field);
    }
    configurationError(() => new GCSStore({ bucket: "b-1", client: {} as never }), "client");
    expect(new GCSStore({ bucket: "b-1", client }).client).toBe(client);
  });

  it("builds the client from the options (project, endpoint, key file, retries, timeout)", () => {
    const credentialsPath = keyFile('{"type":"service_account"}');
    const store = new GCSStore({
      bucket: "b-1",
      project: "my-project-1",
      apiEndpoint: "http://127.0.0.1:9",
      credentialsPath,
      maxRetries: 0,
      operationTimeoutMs: 5000,
    });
    const client = store.client;
    expect(client.projectId).toBe("my-project-1");
    expect(client.apiEndpoint).toBe("http://127.0.0.1:9");
    // A key file with a custom endpoint means: authenticate there (the SDK skips auth for emulators otherwise).
    expect(client.useAuthWithCustomEndpoint).toBe(true);
    expect((client.authClient as unknown as { keyFilename?: string }).keyFilename).toBe(credentialsPath);
    expect(client.retryOptions.autoRetry).toBe(false);
    expect(client.timeout).toBe(5000);

    const defaults = new GCSStore({ bucket: "b-1", apiEndpoint: "http://127.0.0.1:9" }).client;
    expect(defaults.useAuthWithCustomEndpoint).toBe(false);
    expect(defaults.retryOptions.autoRetry).toBe(true);
    expect(defaults.retryOptions.maxRetries).toBe(3);
    expect(defaults.timeout).toBeUndefined();
    const five = new GCSStore({ bucket: "b-1", maxRetries: 5 }).client.retryOptions;
    expect([five.autoRetry, five.maxRetries]).toEqual([true, 5]);
  });

  it("uses Truthound-py's key layout", () => {
    expect(new GCSStore({ bucket: "b-1" }).documentKey("run_20240101_000000_abcdef01")).toBe(
      "truthound/default/results/run_20240101_000000_abcdef01.json.gz",
    );
    expect(
      new GCSStore({ bucket: "b-1", prefix: "a/b", namespace: "ns", useCompression: false }).documentKey(
        "x/y",
      ),
    ).toBe("a/b/ns/results/x%2Fy.json");
    expect(new GCSStore({ bucket: "b-1", prefix: "" }).documentKey("r")).toBe("default/results/r.json.gz");
  });

  it('registers as "gcs"', async () => {
    const store = await getStore("gcs", { bucket: "b-1" });
    expect(store).toBeInstanceOf(GCSStore);
  });
});
