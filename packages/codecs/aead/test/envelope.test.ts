import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeWrappedKey, EnvelopeEncryption, generateKey } from "../src/index.js";
import { VersionedKeys } from "./helpers/versioned-keys.js";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

function setup() {
  const keys = new VersionedKeys();
  keys.create("kek");
  return { keys, envelope: new EnvelopeEncryption({ keyProvider: keys, keyId: "kek" }) };
}

describe("EnvelopeEncryption", () => {
  it("round-trips with a random DEK per object (property-based)", async () => {
    const { envelope } = setup();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (data) => {
        const a = await envelope.encrypt(data, { context: { tenant: "t1" } });
        const b = await envelope.encrypt(data, { context: { tenant: "t1" } });
        expect(Buffer.from(a.wrappedKey).equals(Buffer.from(b.wrappedKey))).toBe(false);
        expect(
          Buffer.from(
            await envelope.decrypt(a.ciphertext, a.wrappedKey, { context: { tenant: "t1" } }),
          ).equals(Buffer.from(data)),
        ).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("the wrapped key names the KEK id, version and algorithm", async () => {
    const { envelope } = setup();
    const { wrappedKey } = await envelope.encrypt(text("x"));
    expect(describeWrappedKey(wrappedKey)).toEqual({ kekId: "kek", kekVersion: 1, algorithm: "aes-256-gcm" });
  });

  it("binds the context: a different or missing context fails with INTEGRITY (order of keys does not matter)", async () => {
    const { envelope } = setup();
    const sealed = await envelope.encrypt(text("secret"), { context: { a: "1", b: "2" } });
    expect(
      str(await envelope.decrypt(sealed.ciphertext, sealed.wrappedKey, { context: { b: "2", a: "1" } })),
    ).toBe("secret");
    await expectStoreError(
      () => envelope.decrypt(sealed.ciphertext, sealed.wrappedKey, { context: { a: "1" } }),
      "INTEGRITY",
    );
    await expectStoreError(() => envelope.decrypt(sealed.ciphertext, sealed.wrappedKey), "INTEGRITY");
    await expectStoreError(
      () => envelope.decrypt(sealed.ciphertext, sealed.wrappedKey, { context: { a: "1", b: "3" } }),
      "INTEGRITY",
    );
  });

  it("binds the caller's AAD to the data", async () => {
    const { envelope } = setup();
    const sealed = await envelope.encrypt(text("secret"), { aad: text("row-1") });
    await expectStoreError(
      () => envelope.decrypt(sealed.ciphertext, sealed.wrappedKey, { aad: text("row-2") }),
      "INTEGRITY",
    );
  });

  it("rewrap moves the DEK to the new KEK version without touching the data; every version stays readable", async () => {
    const { keys, envelope } = setup();
    const objects: Array<{ v: number; ciphertext: Uint8Array; wrappedKey: Uint8Array }> = [];
    for (let v = 1; v <= 3; v++) {
      if (v > 1) keys.rotate("kek");
      objects.push({ v, ...(await envelope.encrypt(text(`written under v${v}`))) });
    }
    for (const o of objects) {
      expect(describeWrappedKey(o.wrappedKey).kekVersion).toBe(o.v);
      expect(str(await envelope.decrypt(o.ciphertext, o.wrappedKey))).toBe(`written under v${o.v}`);
    }
    const rewrapped = await envelope.rewrap(objects[0]?.wrappedKey as Uint8Array);
    expect(describeWrappedKey(rewrapped).kekVersion).toBe(3);
    keys.retire("kek", 1);
    await expectStoreError(
      () => envelope.decrypt(objects[0]?.ciphertext as Uint8Array, objects[0]?.wrappedKey as Uint8Array),
      "NOT_FOUND",
    );
    expect(str(await envelope.decrypt(objects[0]?.ciphertext as Uint8Array, rewrapped))).toBe(
      "written under v1",
    );
  });

  it("a wrapped key cannot be moved to another KEK version, algorithm or object", async () => {
    const { keys, envelope } = setup();
    const a = await envelope.encrypt(text("object a"));
    const b = await envelope.encrypt(text("object b"));
    await expectStoreError(() => envelope.decrypt(a.ciphertext, b.wrappedKey), "INTEGRITY");
    // Relabel the version field (bytes 5..9) to 2 after a rotation: the wrap's AAD no longer matches.
    keys.rotate("kek");
    const relabelled = new Uint8Array(a.wrappedKey);
    relabelled[8] = 2;
    await expectStoreError(() => envelope.decrypt(a.ciphertext, relabelled), "INTEGRITY");
    const chacha = new EnvelopeEncryption({
      keyProvider: keys,
      keyId: "kek",
      algorithm: "chacha20-poly1305",
    });
    await expectStoreError(() => chacha.decrypt(a.ciphertext, a.wrappedKey), "INTEGRITY");
  });

  it("every bit flip of the wrapped key or the ciphertext fails with a typed error", async () => {
    const { envelope } = setup();
    const sealed = await envelope.encrypt(text("abc"));
    for (const [part, which] of [
      [sealed.wrappedKey, "wrappedKey"],
      [sealed.ciphertext, "ciphertext"],
    ] as const) {
      for (let bit = 0; bit < part.length * 8; bit++) {
        const copy = new Uint8Array(part);
        copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
        const args = which === "wrappedKey" ? [sealed.ciphertext, copy] : [copy, sealed.wrappedKey];
        // A flipped KEK id or version names another key (NOT_FOUND); everything else is INTEGRITY.
        await expectStoreError(
          () => envelope.decrypt(args[0] as Uint8Array, args[1] as Uint8Array),
          "INTEGRITY",
          "NOT_FOUND",
        );
      }
    }
  });

  it("single-blob form, with rewrapBytes", async () => {
    const { keys, envelope } = setup();
    const blob = await envelope.encryptToBytes(text("one blob"), { context: { id: "42" } });
    keys.rotate("kek");
    const rewrapped = await envelope.rewrapBytes(blob, { context: { id: "42" } });
    expect(
      Buffer.from(rewrapped.subarray(rewrapped.length - 40)).equals(
        Buffer.from(blob.subarray(blob.length - 40)),
      ),
    ).toBe(true);
    expect(str(await envelope.decryptBytes(rewrapped, { context: { id: "42" } }))).toBe("one blob");
    await expectStoreError(() => envelope.decryptBytes(rewrapped.subarray(0, 10)), "INTEGRITY");
  });

  it("works with a raw KEK and rejects bad options", async () => {
    const envelope = new EnvelopeEncryption({ key: generateKey("aes-256-gcm"), keyId: "master" });
    const sealed = await envelope.encrypt(text("raw"));
    expect(str(await envelope.decrypt(sealed.ciphertext, sealed.wrappedKey))).toBe("raw");
    await expectStoreError(() => new EnvelopeEncryption({ key: new Uint8Array(5) }), "INVALID_ARGUMENT");
    await expectStoreError(
      () => new EnvelopeEncryption({ algorithm: "fernet" as never, key: new Uint8Array(32) }),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => new EnvelopeEncryption({ key: generateKey("aes-256-gcm"), kek: 1 } as never),
      "CONFIGURATION",
    );
    await expectStoreError(
      () => envelope.encrypt(text("x"), { context: { a: 1 as never } }),
      "INVALID_ARGUMENT",
    );
  });
});
