import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Storage } from "@google-cloud/storage";
import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GCSStore } from "../src/index.js";
import { adminClient, createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";
import { RecordingProxy } from "./helpers/recording-proxy.js";

function result(runId: string, extra: Partial<ConstructorParameters<typeof ValidationResult>[0]> = {}) {
  return new ValidationResult({ runId, dataAsset: "orders.csv", status: "success", ...extra });
}

/**
 * A credentials file whose token endpoint is the recording proxy: a workload-identity ("external_account") file,
 * the kind whose token URL the file itself names (service-account files always use Google's).
 */
function credentialsFile(tokenUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "gcs-key-"));
  writeFileSync(join(dir, "subject-token"), "subject-token-from-the-environment");
  const path = join(dir, "credentials.json");
  writeFileSync(
    path,
    JSON.stringify({
      type: "external_account",
      audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/tt/providers/tt",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: tokenUrl,
      credential_source: { file: join(dir, "subject-token") },
    }),
  );
  return path;
}

describe.skipIf(gcsEndpoint === undefined)("GCSStore options, seen on fake-gcs-server", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  let admin: Storage;
  let proxy: RecordingProxy;
  const base = () => ({ apiEndpoint: requireGcs(), bucket });
  const metadataOf = async (key: string) => (await admin.bucket(bucket).file(key).getMetadata())[0];
  const rawBytes = async (key: string) =>
    (await admin.bucket(bucket).file(key).download({ decompress: false }))[0];

  beforeAll(async () => {
    const created = await createBucket("options");
    bucket = created.name;
    drop = created.drop;
    admin = adminClient();
    proxy = new RecordingProxy(requireGcs());
    await proxy.start();
  });
  afterAll(async () => {
    await proxy?.stop();
    await drop?.();
  });

  it("useCompression stores gzip bytes under .json.gz WITHOUT Content-Encoding; false stores plain .json", async () => {
    const gz = new GCSStore({ ...base(), namespace: "gz" });
    await gz.save(result("g1"));
    const key = gz.documentKey("g1");
    expect(key.endsWith("/results/g1.json.gz")).toBe(true);
    const meta = await metadataOf(key);
    expect(meta.contentEncoding).toBeUndefined();
    expect(meta.contentType).toBe("application/json");
    const stored = await rawBytes(key);
    expect([stored[0], stored[1]]).toEqual([0x1f, 0x8b]);
    expect(JSON.parse(gunzipSync(stored).toString("utf8")).run_id).toBe("g1");
    // A client that decompresses whenever it can still gets the gzip bytes: nothing to transcode.
    const [decoded] = await admin.bucket(bucket).file(key).download();
    expect(Buffer.compare(decoded, stored)).toBe(0);

    const plain = new GCSStore({ ...base(), namespace: "gz", useCompression: false });
    expect((await plain.get("g1")).runId).toBe("g1");
    await plain.save(result("p1"));
    expect(plain.documentKey("p1").endsWith("/results/p1.json")).toBe(true);
    expect(JSON.parse((await rawBytes(plain.documentKey("p1"))).toString("utf8")).run_id).toBe("p1");
    // Saving under the other format replaces the old copy instead of leaving two.
    await plain.save(result("g1", { status: "failure" }));
    expect((await admin.bucket(bucket).file(key).exists())[0]).toBe(false);
    expect((await gz.get("g1")).status).toBe("failure");
    expect(await gz.count()).toBe(2);
    await gz.close();
    await plain.close();
  });

  it("reads documents stored with Content-Encoding: gzip (as Truthound-py stores them)", async () => {
    const store = new GCSStore({ ...base(), namespace: "py-gzip" });
    const document = JSON.stringify(result("legacy", { tags: { from: "python" } }).toDict(), null, 2);
    await admin
      .bucket(bucket)
      .file(store.documentKey("legacy"))
      .save(gzipSync(document), {
        resumable: false,
        metadata: { contentType: "application/json", contentEncoding: "gzip" },
      });
    const item = await store.get("legacy");
    expect(item.tags).toEqual({ from: "python" });
    // A native store indexes it too.
    expect((await store.rebuildIndex()).documents).toBe(1);
    expect(await store.listIds()).toEqual(["legacy"]);
    await store.close();
  });

  it("apiEndpoint: every request goes to the given endpoint; project is the client's project", async () => {
    const store = new GCSStore({
      apiEndpoint: proxy.endpoint,
      bucket,
      namespace: "ep",
      project: "tt-project",
    });
    expect(store.client.projectId).toBe("tt-project");
    expect(await store.client.getProjectId()).toBe("tt-project");
    const before = proxy.requests.length;
    await store.save(result("e1"));
    expect((await store.get("e1")).runId).toBe("e1");
    const seen = proxy.requests.slice(before);
    expect(seen.some((r) => r.method === "POST" && r.url.includes(`/upload/storage/v1/b/${bucket}/o`))).toBe(
      true,
    );
    expect(seen.some((r) => r.method === "GET" && r.url.includes(`/b/${bucket}/o/`))).toBe(true);
    // The emulator is addressed without credentials.
    expect(seen.every((r) => r.headers.authorization === undefined)).toBe(true);
    await store.close();
  });

  it("credentialsPath: the credentials in the file authenticate every request", async () => {
    const credentialsPath = credentialsFile(`${proxy.endpoint}/token`);
    const store = new GCSStore({ apiEndpoint: proxy.endpoint, bucket, namespace: "sa", credentialsPath });
    const before = proxy.requests.length;
    await store.save(result("s1"));
    const seen = proxy.requests.slice(before);
    expect(seen.filter((r) => r.url === "/token").length).toBeGreaterThan(0);
    const api = seen.filter((r) => r.url !== "/token");
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.headers.authorization === `Bearer ${proxy.token}`)).toBe(true);
    await store.close();
  });

  it("documents over resumableThresholdBytes use a resumable upload, preconditions included", async () => {
    const store = new GCSStore({
      apiEndpoint: proxy.endpoint,
      bucket,
      namespace: "resumable",
      useCompression: false,
      resumableThresholdBytes: 1024 * 1024,
    });
    const big = result("big", { metadata: { blob: randomBytes(2 * 1024 * 1024).toString("base64") } });
    const before = proxy.requests.length;
    const { etag } = await store.saveWithEtag(big, { ifNoneMatch: "*" });
    const uploads = proxy.requests.slice(before).filter((r) => r.url.includes("/upload/storage/v1/"));
    expect(uploads.some((r) => r.url.includes("uploadType=resumable"))).toBe(true);
    expect(uploads.some((r) => r.url.includes("ifGenerationMatch=0"))).toBe(true);
    expect(etag).toBe(String((await metadataOf(store.documentKey("big"))).generation));
    expect((await store.get("big")).metadata).toEqual(big.metadata);
    await expect(store.save(big, { ifNoneMatch: "*" })).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
    const small = proxy.requests.length;
    await store.save(result("small"));
    const smallUploads = proxy.requests.slice(small).filter((r) => r.url.includes("/upload/storage/v1/"));
    expect(smallUploads.length).toBeGreaterThan(0);
    expect(smallUploads.every((r) => r.url.includes("uploadType=multipart"))).toBe(true);
    await store.close();
  });

  it("the etag is the generation: ifMatch maps to ifGenerationMatch", async () => {
    const store = new GCSStore({ ...base(), namespace: "gen" });
    const { etag } = await store.saveWithEtag(result("v"));
    expect(etag).toBe(String((await metadataOf(store.documentKey("v"))).generation));
    const { etag: next } = await store.saveWithEtag(result("v", { status: "failure" }), { ifMatch: etag });
    expect(next).not.toBe(etag);
    await expect(store.save(result("v"), { ifMatch: etag })).rejects.toSatisfy((e) =>
      isStoreError(e, "CONFLICT"),
    );
    await expect(store.save(result("v"), { ifMatch: '"not-a-generation"' })).rejects.toSatisfy((e) =>
      isStoreError(e, "CONFLICT"),
    );
    expect((await store.getWithEtag("v")).etag).toBe(next);
    await store.close();
  });

  it("a missing bucket is a CONNECTION error naming it", async () => {
    const store = new GCSStore({ apiEndpoint: requireGcs(), bucket: "tt-no-such-bucket-here" });
    const error = await store.get("x").catch((e: unknown) => e);
    expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
    expect((error as Error).message).toContain("tt-no-such-bucket-here");
  });

  it("a caller-supplied client is used and keeps working after close", async () => {
    const client = adminClient();
    const store = new GCSStore({ bucket, client, namespace: "client" });
    expect(store.client).toBe(client);
    await store.save(result("c1"));
    await store.close();
    expect((await client.bucket(bucket).file(store.documentKey("c1")).exists())[0]).toBe(true);
  });
});
