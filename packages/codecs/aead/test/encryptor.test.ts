import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AEAD_ALGORITHMS,
  AeadKey,
  generateKey,
  getEncryptor,
  importKey,
  KeyUsageLimitError,
  resolveAeadAlgorithm,
} from "../src/index.js";

describe.each(AEAD_ALGORITHMS)("getEncryptor(%s)", (algorithm) => {
  const encryptor = getEncryptor(algorithm);
  const key = generateKey(algorithm);

  it("round-trips random data with random AAD (property-based)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.uint8Array({ maxLength: 64 }), (data, aad) => {
        const sealed = encryptor.encrypt(data, key, { aad });
        expect(sealed.length).toBe(data.length + encryptor.overhead);
        expect(Buffer.from(encryptor.decrypt(sealed, key, { aad })).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("round-trips 1 MiB (the sliced large-input path)", () => {
    const data = new Uint8Array(1024 * 1024 + 3).map((_, i) => i * 7);
    const sealed = encryptor.encrypt(data, key);
    expect(Buffer.from(encryptor.decrypt(sealed, key)).equals(Buffer.from(data))).toBe(true);
  });

  it("encryptToPieces gives the same format without copying the ciphertext", () => {
    const data = new Uint8Array(1_100_000).map((_, i) => i);
    const pieces = encryptor.encryptToPieces(data, key, { aad: Buffer.from("a") });
    expect(pieces[0]).toHaveLength(encryptor.nonceSize);
    const joined = Buffer.concat(pieces);
    expect(
      Buffer.from(encryptor.decrypt(joined, key, { aad: Buffer.from("a") })).equals(Buffer.from(data)),
    ).toBe(true);
  });

  it("never repeats a nonce across messages", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const nonce = Buffer.from(encryptor.encrypt(new Uint8Array(1), key).subarray(0, encryptor.nonceSize));
      seen.add(nonce.toString("hex"));
    }
    expect(seen.size).toBe(2000);
  });

  it("fails with INTEGRITY on a wrong key, wrong AAD, bit flips and truncation", async () => {
    const sealed = encryptor.encrypt(Buffer.from("validation results"), key, { aad: Buffer.from("ctx") });
    await expectStoreError(
      () => encryptor.decrypt(sealed, generateKey(algorithm), { aad: Buffer.from("ctx") }),
      "INTEGRITY",
    );
    await expectStoreError(() => encryptor.decrypt(sealed, key, { aad: Buffer.from("ctX") }), "INTEGRITY");
    await expectStoreError(() => encryptor.decrypt(sealed, key), "INTEGRITY");
    for (let bit = 0; bit < sealed.length * 8; bit += 5) {
      const copy = new Uint8Array(sealed);
      copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
      await expectStoreError(() => encryptor.decrypt(copy, key, { aad: Buffer.from("ctx") }), "INTEGRITY");
    }
    await expectStoreError(
      () => encryptor.decrypt(sealed.subarray(0, 20), key, { aad: Buffer.from("ctx") }),
      "INTEGRITY",
    );
  });

  it("rejects keys of the wrong size with INVALID_ARGUMENT", async () => {
    await expectStoreError(
      () => encryptor.encrypt(new Uint8Array(4), new Uint8Array(encryptor.keySize - 1)),
      "INVALID_ARGUMENT",
    );
  });

  it("copies the key: changing the caller's array afterwards changes nothing", () => {
    const mutable = generateKey(algorithm);
    const original = Buffer.from(mutable);
    const sealed = encryptor.encrypt(Buffer.from("x"), mutable);
    mutable.fill(0);
    expect(Buffer.from(encryptor.decrypt(sealed, original)).toString()).toBe("x");
  });
});

describe("nonce limits", () => {
  it("documents 2^32 messages per key for 96-bit random nonces", () => {
    expect(resolveAeadAlgorithm("aes-256-gcm").maxMessagesPerKey).toBe(2 ** 32);
    expect(resolveAeadAlgorithm("chacha20-poly1305").maxMessagesPerKey).toBe(2 ** 32);
    expect(resolveAeadAlgorithm("xchacha20-poly1305").maxMessagesPerKey).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("a key object refuses to encrypt beyond its limit with KeyUsageLimitError", async () => {
    const key = importKey("aes-256-gcm", generateKey("aes-256-gcm"), { maxMessages: 3 });
    const encryptor = getEncryptor("aes-256-gcm");
    const first = encryptor.encrypt(Buffer.from("first"), key);
    for (let i = 0; i < 2; i++) encryptor.encrypt(Buffer.from("a"), key);
    expect(key.messagesEncrypted).toBe(3);
    const error = await expectStoreError(() => encryptor.encrypt(Buffer.from("a"), key), "INVALID_ARGUMENT");
    expect(error).toBeInstanceOf(KeyUsageLimitError);
    // Decryption is not limited: data written under the key stays readable.
    expect(Buffer.from(encryptor.decrypt(first, key)).toString()).toBe("first");
  });

  it("the same Uint8Array counts against one key object", () => {
    const raw = generateKey("chacha20-poly1305");
    const encryptor = getEncryptor("chacha20-poly1305");
    encryptor.encrypt(Buffer.from("a"), raw);
    encryptor.encrypt(Buffer.from("b"), raw);
    const viaObject = encryptor.importKey(raw);
    expect(viaObject).toBeInstanceOf(AeadKey);
    expect(viaObject.messagesEncrypted).toBe(0);
  });

  it("rejects a limit above the algorithm's", async () => {
    await expectStoreError(
      () => importKey("aes-128-gcm", generateKey("aes-128-gcm"), { maxMessages: 2 ** 33 }),
      "INVALID_ARGUMENT",
    );
  });

  it("a key for one algorithm cannot be used with another", async () => {
    const key = importKey("aes-256-gcm", generateKey("aes-256-gcm"));
    await expectStoreError(
      () => getEncryptor("chacha20-poly1305").encrypt(Buffer.from("a"), key),
      "INVALID_ARGUMENT",
    );
  });
});

describe("algorithm names", () => {
  it("accepts case and underscore variants", () => {
    expect(getEncryptor("AES_256_GCM").algorithm).toBe("aes-256-gcm");
    expect(generateKey("XChaCha20-Poly1305")).toHaveLength(32);
    expect(generateKey("aes-128-gcm")).toHaveLength(16);
  });

  it("an unknown name is a CONFIGURATION error naming the supported algorithms", async () => {
    const error = await expectStoreError(() => getEncryptor("aes-512-gcm"), "CONFIGURATION");
    for (const name of AEAD_ALGORITHMS) expect(error.message).toContain(name);
  });

  it("Fernet is rejected clearly (it cannot bind associated data)", async () => {
    const error = await expectStoreError(() => getEncryptor("fernet"), "CONFIGURATION");
    expect(error.message).toMatch(/Fernet is not supported/);
    await expectStoreError(() => generateKey("fernet"), "CONFIGURATION");
  });
});
