import { S3Client } from "@aws-sdk/client-s3";
import { getStore, isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { S3Store } from "../src/index.js";

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

describe("S3Store options", () => {
  it("requires a valid bucket name", () => {
    configurationError(() => new S3Store({} as never), "bucket");
    configurationError(() => new S3Store({ bucket: "Bad_Bucket" }), "bucket");
  });

  it("rejects unknown and mistyped options naming the field", () => {
    configurationError(() => new S3Store({ bucket: "b-1", sse: "AES256" } as never), "sse");
    configurationError(
      () => new S3Store({ bucket: "b-1", useCompression: "yes" } as never),
      "useCompression",
    );
    configurationError(
      () => new S3Store({ bucket: "b-1", serverSideEncryption: "aes" } as never),
      "serverSideEncryption",
    );
    configurationError(() => new S3Store({ bucket: "b-1", storageClass: "COLD" }), "storageClass");
    configurationError(() => new S3Store({ bucket: "b-1", endpointUrl: "minio:9000" }), "endpointUrl");
    configurationError(() => new S3Store({ bucket: "b-1", checksumMode: "never" } as never), "checksumMode");
    configurationError(() => new S3Store({ bucket: "b-1", prefix: "../escape" }), "prefix");
    configurationError(() => new S3Store({ bucket: "b-1", namespace: "a/b" }), "namespace");
    configurationError(
      () => new S3Store({ bucket: "b-1", compatibility: "legacy" } as never),
      "compatibility",
    );
    configurationError(() => new S3Store({ bucket: "b-1", partSizeBytes: 1024 }), "partSizeBytes");
  });

  it("validates credentials and tags", () => {
    configurationError(
      () => new S3Store({ bucket: "b-1", credentials: { accessKeyId: "" } } as never),
      "credentials",
    );
    configurationError(
      () =>
        new S3Store({
          bucket: "b-1",
          credentials: { accessKeyId: "a", secretAccessKey: "b", token: "c" },
        } as never),
      "credentials",
    );
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    configurationError(() => new S3Store({ bucket: "b-1", tags: many }), "tags");
    configurationError(() => new S3Store({ bucket: "b-1", tags: { k: 1 } } as never), "tags");
    configurationError(() => new S3Store({ bucket: "b-1", tags: { env: "prod&test" } }), "tags");
    expect(new S3Store({ bucket: "b-1", tags: { ünï: "a b/c+d=e@f:g" } }).bucket).toBe("b-1");
  });

  it("kmsKeyId needs aws:kms, and codecs cannot be combined with python compatibility", () => {
    configurationError(() => new S3Store({ bucket: "b-1", kmsKeyId: "k" }), "kmsKeyId");
    configurationError(
      () => new S3Store({ bucket: "b-1", compatibility: "python", codecs: [{} as never] }),
      "codecs",
    );
  });

  it("a caller-supplied client excludes the client settings and is used as given", () => {
    const client = new S3Client({ region: "eu-west-1" });
    configurationError(() => new S3Store({ bucket: "b-1", client, region: "us-east-1" }), "region");
    const store = new S3Store({ bucket: "b-1", client });
    expect(store.client).toBe(client);
    client.destroy();
  });

  it("uses Truthound-py's key layout", () => {
    expect(new S3Store({ bucket: "b-1" }).documentKey("run_20240101_000000_abcdef01")).toBe(
      "truthound/default/results/run_20240101_000000_abcdef01.json.gz",
    );
    expect(
      new S3Store({ bucket: "b-1", prefix: "a/b", namespace: "ns", useCompression: false }).documentKey(
        "x/y",
      ),
    ).toBe("a/b/ns/results/x%2Fy.json");
    expect(new S3Store({ bucket: "b-1", prefix: "" }).documentKey("r")).toBe("default/results/r.json.gz");
  });

  it("builds the client from the options (endpoint, path style, region, checksum mode)", async () => {
    const store = new S3Store({
      bucket: "b-1",
      endpointUrl: "http://127.0.0.1:9",
      region: "eu-central-1",
      checksumMode: "whenRequired",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    });
    const config = store.client.config;
    expect(await config.region()).toBe("eu-central-1");
    expect(config.forcePathStyle).toBe(true);
    expect(await config.requestChecksumCalculation()).toBe("WHEN_REQUIRED");
    expect(await config.responseChecksumValidation()).toBe("WHEN_REQUIRED");
    expect((await config.credentials()).accessKeyId).toBe("a");
    const endpoint = await config.endpoint?.();
    expect(endpoint?.hostname).toBe("127.0.0.1");
  });

  it('registers as "s3"', async () => {
    const store = await getStore("s3", { bucket: "b-1" });
    expect(store).toBeInstanceOf(S3Store);
  });
});
