import { CodecChain, readChainHeader } from "@truthound/store-core";
import { expectStoreError } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import {
  AEAD_ALGORITHMS,
  COMMITMENT_BYTES,
  createAeadCodec,
  createSegmentedCodec,
  generateKey,
  registerDecryptionKeyProvider,
  unregisterDecryptionKeyProvider,
} from "../src/index.js";
import { VersionedKeys } from "./helpers/versioned-keys.js";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

describe("key ids and versions in the chain header", () => {
  it("records kid and kv; data written under every version stays readable after rotations", async () => {
    const keys = new VersionedKeys();
    keys.create("results");
    const codec = await createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys, keyId: "results" });
    const segmented = await createSegmentedCodec({ keyProvider: keys, keyId: "results", segmentSize: 4096 });
    const chain = new CodecChain([codec]);
    const segChain = new CodecChain([segmented]);
    const written: Array<{ framed: Uint8Array; seg: Uint8Array; text: string }> = [];
    for (let version = 1; version <= 4; version++) {
      if (version > 1) keys.rotate("results");
      // The write right after a rotation still names the version its header was built with; the next names the new one.
      for (let i = 0; i < 2; i++) {
        const body = `v${version} #${i}`;
        written.push({
          framed: await chain.encode(text(body)),
          seg: await segChain.encode(text(body)),
          text: body,
        });
      }
    }
    const versions = written.map((w) => readChainHeader(w.framed).entries[0]?.p.kv);
    expect(versions).toEqual([1, 1, 1, 2, 2, 3, 3, 4]);
    expect(readChainHeader(written[0]?.framed as Uint8Array).entries[0]?.p.kid).toBe("results");
    const reader = new CodecChain([
      await createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys, keyId: "results" }),
    ]);
    for (const w of written) {
      expect(str(await reader.decode(w.framed))).toBe(w.text);
      expect(str(await segChain.decode(w.seg))).toBe(w.text);
    }
    // Retiring a version makes exactly its data unreadable (NOT_FOUND), never silently wrong.
    keys.retire("results", 1);
    await expectStoreError(() => reader.decode(written[0]?.framed as Uint8Array), "NOT_FOUND");
    expect(str(await reader.decode(written[7]?.framed as Uint8Array))).toBe("v4 #1");
  });

  it("a raw key records its keyId and keyVersion; another id or version is NOT_FOUND", async () => {
    const key = generateKey("chacha20-poly1305");
    const v3 = new CodecChain([
      await createAeadCodec({ algorithm: "chacha20-poly1305", key, keyId: "k", keyVersion: 3 }),
    ]);
    const framed = await v3.encode(text("hello"));
    expect(readChainHeader(framed).entries[0]?.p).toEqual({ kid: "k", kv: 3 });
    const v4 = new CodecChain([
      await createAeadCodec({ algorithm: "chacha20-poly1305", key, keyId: "k", keyVersion: 4 }),
    ]);
    await expectStoreError(() => v4.decode(framed), "NOT_FOUND");
  });

  it("refuses a key meant for another algorithm", async () => {
    const keys = new VersionedKeys("chacha20-poly1305");
    keys.create("c");
    await expectStoreError(
      async () =>
        new CodecChain([
          await createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys, keyId: "c" }),
        ]).encode(text("x")),
      "CONFIGURATION",
    );
  });
});

describe("decoding data written by a codec that is no longer configured", () => {
  it("uses registered decryption key providers; without one it is a CONFIGURATION error", async () => {
    const keys = new VersionedKeys("xchacha20-poly1305");
    keys.create("old");
    const old = new CodecChain([
      await createAeadCodec({ algorithm: "xchacha20-poly1305", keyProvider: keys, keyId: "old" }),
    ]);
    const framed = await old.encode(text("written before the switch"));
    const now = new CodecChain([
      await createAeadCodec({ algorithm: "aes-256-gcm", key: generateKey("aes-256-gcm") }),
    ]);
    await expectStoreError(() => now.decode(framed), "CONFIGURATION");
    registerDecryptionKeyProvider(keys);
    try {
      expect(str(await now.decode(framed))).toBe("written before the switch");
    } finally {
      unregisterDecryptionKeyProvider(keys);
    }
  });
});

describe("key commitment", () => {
  it("every AEAD codec output starts with a 32-byte commitment that is checked before decrypting", async () => {
    for (const algorithm of AEAD_ALGORITHMS) {
      const key = generateKey(algorithm);
      const codec = await createAeadCodec({ algorithm, key });
      const context = { aad: text("header"), params: codec.headerParams() };
      const sealed = await codec.encode(text("payload"), context);
      expect(sealed.length).toBe(COMMITMENT_BYTES + (algorithm === "xchacha20-poly1305" ? 24 : 12) + 7 + 16);
      const wrongCommit = new Uint8Array(sealed);
      wrongCommit[0] = (wrongCommit[0] as number) ^ 0x80;
      const error = await expectStoreError(() => codec.decode(wrongCommit, context), "INTEGRITY");
      expect(error.message).toMatch(/commitment/);
      // Same key id and version, different key bytes: rejected by the commitment, not by the AEAD tag.
      const other = await createAeadCodec({ algorithm, key: generateKey(algorithm) });
      const mismatch = await expectStoreError(() => other.decode(sealed, context), "INTEGRITY");
      expect(mismatch.message).toMatch(/commitment/);
    }
  });
});

describe("codec options", () => {
  it("rejects missing, double and unknown key options", async () => {
    await expectStoreError(() => createAeadCodec({ algorithm: "aes-256-gcm" }), "CONFIGURATION");
    const keys = new VersionedKeys();
    keys.create("a");
    await expectStoreError(
      () =>
        createAeadCodec({
          algorithm: "aes-256-gcm",
          key: generateKey("aes-256-gcm"),
          keyProvider: keys,
          keyId: "a",
        }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys, keyId: "a", keyVersion: 2 }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "aes-256-gcm", key: generateKey("aes-256-gcm"), nonce: 1 } as never),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "fernet", key: new Uint8Array(32) }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "aes-256-gcm", key: new Uint8Array(16) }),
      "INVALID_ARGUMENT",
    );
    await expectStoreError(
      () => createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: keys, keyId: "missing" }),
      "NOT_FOUND",
    );
  });
});
