import { generateKey } from "@truthound/codec-aead";
import { isStoreError, readChainHeader } from "@truthound/store-core";
import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createFastPipeline,
  createPasswordPipeline,
  createSecurePipeline,
  EncryptionPipeline,
  EncryptionStats,
} from "../src/index.js";

// Argon2id at a test cost (the default, 19 MiB × 2, is exercised once below).
const cheapArgon = {
  kdf: "argon2id" as const,
  kdfParams: { memoryKiB: 1024, iterations: 1, parallelism: 1 },
};
const json = new TextEncoder().encode(
  JSON.stringify(
    Array.from({ length: 400 }, (_, i) => ({
      validator: "null_check",
      column: `c${i % 7}`,
      success: i % 3 > 0,
    })),
  ),
);

describe("presets", () => {
  const key = generateKey("aes-256-gcm");

  it.each([
    ["secure", () => createSecurePipeline(key), ["compression", "aes-256-gcm"]],
    ["fast", () => createFastPipeline(key), ["compression", "chacha20-poly1305"]],
    [
      "password",
      () => createPasswordPipeline("correct horse", cheapArgon),
      ["compression", "password-aes-256-gcm"],
    ],
  ] as const)(
    "%s: compress then encrypt; round-trips random data (property-based)",
    async (_, make, stages) => {
      const pipeline = make();
      const result = await pipeline.process(json);
      expect(result.header.map((e) => e.id)).toEqual(stages);
      expect(result.metrics.compressionRatio).toBeGreaterThan(3);
      expect(pipeline.authenticated).toBe(true);
      expect(Buffer.from(await make().reverse(result.data)).equals(Buffer.from(json))).toBe(true);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (data) => {
          const framed = await pipeline.processToBytes(data);
          expect(Buffer.from(await pipeline.reverse(framed)).equals(Buffer.from(data))).toBe(true);
        }),
        { numRuns: 25 },
      );
    },
  );

  it("a fresh secure pipeline with the same key reverses another's output (self-describing header)", async () => {
    const framed = await createSecurePipeline(key, { compression: "brotli", level: "fast" }).processToBytes(
      json,
    );
    expect(readChainHeader(framed).entries[0]?.p.algorithm).toBe("brotli");
    expect(Buffer.from(await createSecurePipeline(key).reverse(framed)).equals(Buffer.from(json))).toBe(true);
  });

  it("the password pipeline needs only the password: KDF, parameters and salt are in the header", async () => {
    const framed = await createPasswordPipeline("pw-1", cheapArgon).processToBytes(json);
    const p = readChainHeader(framed).entries[1]?.p as {
      kdf: { kdf: string; salt: string; params: Record<string, number> };
    };
    expect(p.kdf.kdf).toBe("argon2id");
    expect(p.kdf.params.memoryKiB).toBe(1024);
    expect(typeof p.kdf.salt).toBe("string");
    // Another pipeline with default parameters and its own salt still reads it.
    expect(Buffer.from(await createPasswordPipeline("pw-1").reverse(framed)).equals(Buffer.from(json))).toBe(
      true,
    );
    await expectStoreError(() => createPasswordPipeline("pw-2", cheapArgon).reverse(framed), "INTEGRITY");
  });

  it("the default password KDF is Argon2id at OWASP's baseline (m=19 MiB, t=2, p=1)", async () => {
    const framed = await createPasswordPipeline("pw").processToBytes(json);
    const p = readChainHeader(framed).entries[1]?.p as { kdf: { params: Record<string, number> } };
    expect(p.kdf.params).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
  });

  it("scrypt and PBKDF2 password pipelines", async () => {
    for (const options of [
      { kdf: "scrypt" as const, kdfParams: { N: 1024, r: 8, p: 1 } },
      { kdf: "pbkdf2-sha256" as const, kdfParams: { iterations: 1000 } },
    ]) {
      const pipeline = createPasswordPipeline("pw", options);
      expect(
        Buffer.from(await pipeline.reverse(await pipeline.processToBytes(json))).equals(Buffer.from(json)),
      ).toBe(true);
    }
    await expectStoreError(
      () => createPasswordPipeline("pw", { kdf: "hkdf-sha256" as never }).processToBytes(json),
      "CONFIGURATION",
    );
  });

  it("every change to header or payload fails; a wrong key fails with INTEGRITY", async () => {
    const pipeline = createSecurePipeline(key);
    const framed = await pipeline.processToBytes(Buffer.from("a small document"));
    for (let byte = 0; byte < framed.length; byte++) {
      const copy = new Uint8Array(framed);
      copy[byte] = (copy[byte] as number) ^ 0x04;
      let decoded: Uint8Array | undefined;
      try {
        decoded = await pipeline.reverse(copy);
      } catch (error) {
        expect(isStoreError(error), String(error)).toBe(true);
      }
      expect(decoded, `byte ${byte} changed undetected`).toBeUndefined();
    }
    await expectStoreError(
      () => createSecurePipeline(generateKey("aes-256-gcm")).reverse(framed),
      "INTEGRITY",
    );
    await expectStoreError(() => pipeline.reverse(framed.subarray(0, framed.length - 1)), "INTEGRITY");
    await expectStoreError(() => pipeline.reverse(Buffer.from("plain json")), "INTEGRITY");
  });

  it("reading password data without a password is a clear CONFIGURATION error", async () => {
    const framed = await createPasswordPipeline("pw", cheapArgon).processToBytes(json);
    await expectStoreError(() => createSecurePipeline(key).reverse(framed), "CONFIGURATION");
  });

  it("rejects unknown options and compression algorithms", async () => {
    await expectStoreError(() => createSecurePipeline(key, { compresion: "gzip" } as never), "CONFIGURATION");
    await expectStoreError(() => createSecurePipeline(key, { compression: "nope" }), "UNSUPPORTED");
    await expectStoreError(
      () => createSecurePipeline(key, { algorithm: "fernet" as never }).processToBytes(json),
      "CONFIGURATION",
    );
    await expectStoreError(() => createSecurePipeline(key, { level: 99 }), "CONFIGURATION");
  });
});

describe("EncryptionPipeline builder", () => {
  const key = generateKey("aes-256-gcm");

  it("compress → encrypt → checksum, and segmented encryption as a stage", async () => {
    const pipeline = new EncryptionPipeline()
      .addCompression("gzip", { level: "fast" })
      .addEncryption("aes-256-gcm", key)
      .addChecksum("sha256");
    const result = await pipeline.process(json);
    expect(result.header.map((e) => e.id)).toEqual(["compression", "aes-256-gcm", "sha256-checksum"]);
    expect(result.metrics.stageBytes).toHaveLength(3);
    expect(Buffer.from(await pipeline.reverse(result.data)).equals(Buffer.from(json))).toBe(true);
    const segmented = new EncryptionPipeline()
      .addCompression("deflate-raw")
      .addSegmentedEncryption("aes-256-gcm", key, { segmentSize: 4096 });
    const framed = await segmented.processToBytes(json);
    expect(readChainHeader(framed).entries[1]?.id).toBe("aes-256-gcm-hkdf-stream");
    expect(Buffer.from(await segmented.reverse(framed)).equals(Buffer.from(json))).toBe(true);
  });

  it("refuses compression after encryption, empty pipelines and changes after first use", async () => {
    expect(() => new EncryptionPipeline().addEncryption("aes-256-gcm", key).addCompression("gzip")).toThrow(
      /before encryption/,
    );
    await expectStoreError(() => new EncryptionPipeline().process(json), "CONFIGURATION");
    const pipeline = new EncryptionPipeline().addEncryption("aes-256-gcm", key);
    await pipeline.process(json);
    await expectStoreError(() => pipeline.addChecksum(), "CONFIGURATION");
    await expectStoreError(() => new EncryptionPipeline().addChecksum("md5" as never), "CONFIGURATION");
    await expectStoreError(() => new EncryptionPipeline({ metrics: true } as never), "CONFIGURATION");
    await expectStoreError(
      () =>
        new EncryptionPipeline().addEncryption("aes-256-gcm", {
          password: "x",
          salt: new Uint8Array(16),
        } as never),
      "CONFIGURATION",
    );
  });

  it("EncryptionStats records operations, bytes, algorithms and errors", async () => {
    const stats = new EncryptionStats();
    const secure = createSecurePipeline(key, { stats });
    const fast = createFastPipeline(key, { stats });
    const framed = await secure.processToBytes(json);
    await secure.reverse(framed);
    await fast.processToBytes(json);
    await expect(secure.reverse(framed.subarray(0, 20))).rejects.toThrow();
    expect(stats.totalOperations).toBe(3);
    expect(stats.processOperations).toBe(2);
    expect(stats.reverseOperations).toBe(1);
    expect(stats.errors).toBe(1);
    expect(stats.totalPlaintextBytes).toBe(3 * json.length);
    expect(stats.algorithmUsage).toEqual({ "aes-256-gcm": 2, "chacha20-poly1305": 1 });
    expect(stats.averageThroughputMbps).toBeGreaterThan(0);
    expect(stats.averageCompressionRatio).toBeGreaterThan(1);
    expect(stats.toJSON().totalOperations).toBe(3);
    stats.reset();
    expect(stats.totalOperations).toBe(0);
    expect(stats.algorithmUsage).toEqual({});
  });
});
