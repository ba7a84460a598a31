import { randomBytes } from "node:crypto";
import {
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store } from "../src/index.js";
import { adminClient, createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

function result(runId: string, extra: Partial<ConstructorParameters<typeof ValidationResult>[0]> = {}) {
  return new ValidationResult({ runId, dataAsset: "orders.csv", status: "success", ...extra });
}

describe.skipIf(minio === undefined)("S3Store options, seen on MinIO", () => {
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  let admin: S3Client;
  const base = () => ({ ...minioOptions(requireMinio()), bucket });
  const head = (key: string) => admin.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));

  beforeAll(async () => {
    const created = await createBucket(requireMinio(), "options");
    bucket = created.name;
    drop = created.drop;
    admin = adminClient(requireMinio());
  });
  afterAll(async () => {
    admin?.destroy();
    await drop?.();
  });

  it("storageClass applies to documents; index markers stay STANDARD", async () => {
    const store = new S3Store({ ...base(), namespace: "sc", storageClass: "REDUCED_REDUNDANCY" });
    await store.save(result("sc-1"));
    expect((await head(store.documentKey("sc-1"))).StorageClass).toBe("REDUCED_REDUNDANCY");
    const markers = await admin.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${store.layout.markersPrefix}` }),
    );
    expect(markers.Contents).toHaveLength(1);
    expect((await head(markers.Contents?.[0]?.Key as string)).StorageClass).toBeUndefined();
    await store.close();
  });

  it("tags are readable with GetObjectTagging, URL-encoding included", async () => {
    const tags = { team: "data quality", path: "a/b+c=d:e.f_g-h" };
    const store = new S3Store({ ...base(), namespace: "tags", tags });
    await store.save(result("tagged"));
    const tagging = await admin.send(
      new GetObjectTaggingCommand({ Bucket: bucket, Key: store.documentKey("tagged") }),
    );
    expect(Object.fromEntries((tagging.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual(tags);
    await store.close();
  });

  it("useCompression stores gzip with Content-Encoding gzip under .json.gz; false stores .json", async () => {
    const gz = new S3Store({ ...base(), namespace: "gz" });
    await gz.save(result("g1"));
    const gzHead = await head(gz.documentKey("g1"));
    expect(gz.documentKey("g1").endsWith("/results/g1.json.gz")).toBe(true);
    expect(gzHead.ContentEncoding).toBe("gzip");
    expect(gzHead.ContentType).toBe("application/json");
    const plain = new S3Store({ ...base(), namespace: "gz", useCompression: false });
    expect((await plain.get("g1")).runId).toBe("g1");
    await plain.save(result("p1"));
    expect((await head(plain.documentKey("p1"))).ContentEncoding).toBeUndefined();
    expect(plain.documentKey("p1").endsWith("/results/p1.json")).toBe(true);
    // Saving under the other format replaces the old copy instead of leaving two.
    await plain.save(result("g1", { status: "failure" }));
    await expect(head(gz.documentKey("g1"))).rejects.toThrow();
    expect((await gz.get("g1")).status).toBe("failure");
    expect(await gz.listIds({ ascending: true })).toEqual(expect.arrayContaining(["g1", "p1"]));
    expect(await gz.count()).toBe(2);
    await gz.close();
    await plain.close();
  });

  it.each(["whenSupported", "whenRequired"] as const)(
    "checksumMode %s round-trips documents",
    async (checksumMode) => {
      const store = new S3Store({ ...base(), namespace: `ck-${checksumMode}`, checksumMode });
      const item = result("ck", { metadata: { blob: randomBytes(2048).toString("base64") } });
      await store.save(item);
      expect((await store.get("ck")).metadata).toEqual(item.metadata);
      await store.close();
    },
  );

  it("documents over multipartThresholdBytes go through a multipart upload, conditions included", async () => {
    const store = new S3Store({
      ...base(),
      namespace: "mpu",
      useCompression: false,
      multipartThresholdBytes: 5 * 1024 * 1024,
      partSizeBytes: 5 * 1024 * 1024,
    });
    const big = result("big", { metadata: { blob: randomBytes(9 * 1024 * 1024).toString("base64") } });
    const { etag } = await store.saveWithEtag(big, { ifNoneMatch: "*" });
    expect(etag).toMatch(/-\d+"?$/);
    expect((await head(store.documentKey("big"))).ContentLength).toBeGreaterThan(12 * 1024 * 1024);
    expect((await store.get("big")).metadata).toEqual(big.metadata);
    const again = store.save(big, { ifNoneMatch: "*" });
    await expect(again).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
    await store.close();
  });

  it("a missing bucket is a CONNECTION error naming it", async () => {
    const store = new S3Store({ ...minioOptions(requireMinio()), bucket: "tt-no-such-bucket-here" });
    const error = await store.get("x").catch((e: unknown) => e);
    expect(isStoreError(error, "CONNECTION")).toBe(true);
    expect((error as Error).message).toContain("tt-no-such-bucket-here");
  });

  it("wrong credentials are PERMISSION errors", async () => {
    const store = new S3Store({
      ...base(),
      credentials: { accessKeyId: "nobody", secretAccessKey: "wrong-secret" },
    });
    const error = await store.get("x").catch((e: unknown) => e);
    expect(isStoreError(error, "PERMISSION"), String(error)).toBe(true);
  });

  it("a caller-supplied client is used and not destroyed on close", async () => {
    const client = adminClient(requireMinio());
    const store = new S3Store({ bucket, client, namespace: "client" });
    await store.save(result("c1"));
    await store.close();
    expect(
      (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: store.documentKey("c1") }))).ETag,
    ).toBeTruthy();
    client.destroy();
  });

  describe.skipIf(minio?.kmsKeyId === undefined && process.env.CI !== "true")(
    "server-side encryption",
    () => {
      it("AES256 is applied to documents and index objects", async () => {
        const store = new S3Store({ ...base(), namespace: "sse", serverSideEncryption: "AES256" });
        await store.save(result("s1"));
        expect((await head(store.documentKey("s1"))).ServerSideEncryption).toBe("AES256");
        const markers = await admin.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: store.layout.markersPrefix }),
        );
        expect((await head(markers.Contents?.[0]?.Key as string)).ServerSideEncryption).toBe("AES256");
        expect((await store.get("s1")).runId).toBe("s1");
        await store.close();
      });

      it("aws:kms with kmsKeyId names the key", async () => {
        const kmsKeyId = minio?.kmsKeyId as string;
        const store = new S3Store({ ...base(), namespace: "kms", serverSideEncryption: "aws:kms", kmsKeyId });
        await store.save(result("k1"));
        const h = await head(store.documentKey("k1"));
        expect(h.ServerSideEncryption).toBe("aws:kms");
        expect(h.SSEKMSKeyId).toContain(kmsKeyId);
        expect((await store.get("k1")).runId).toBe("k1");
        await store.close();
      });
    },
  );
});
