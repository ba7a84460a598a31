import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { isStoreError, type KeyMaterial, ManualClock } from "@truthound/store-core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  FileKeyStore,
  InMemoryKeyStore,
  KEY_SIZES,
  type KeyAuditEvent,
  KeyExpiredError,
  KeyManager,
  type KeyStore,
} from "../src/index.js";
import { expectStoreError, TEST_KDF, tempDir } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fileStore(): FileKeyStore {
  const directory = tempDir("manager");
  dirs.push(directory);
  return new FileKeyStore({ directory, masterPassword: "pw", kdfParams: TEST_KDF });
}

const DAY = 86_400_000;

/** Encrypts like an authenticated codec would, recording key id and version next to the ciphertext. */
function encrypt(material: KeyMaterial, text: string) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv(material.algorithm as "aes-256-gcm", material.key, nonce);
  const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  return { keyId: material.keyId, version: material.version, nonce, body, tag: cipher.getAuthTag() };
}

function decrypt(material: KeyMaterial, sealed: ReturnType<typeof encrypt>): string {
  const decipher = createDecipheriv(material.algorithm as "aes-256-gcm", material.key, sealed.nonce);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString("utf8");
}

describe.each([
  ["InMemoryKeyStore", () => new InMemoryKeyStore() as KeyStore],
  ["FileKeyStore", () => fileStore() as KeyStore],
])("KeyManager over %s", (_name, makeStore) => {
  it("creates keys of each algorithm with random material of the right size", async () => {
    const manager = new KeyManager({ store: makeStore() });
    for (const algorithm of Object.keys(KEY_SIZES) as (keyof typeof KEY_SIZES)[]) {
      const a = await manager.createKey(`k-${algorithm}`, { algorithm });
      const b = await manager.createKey(`k2-${algorithm}`, { algorithm });
      expect(a).toMatchObject({ keyId: `k-${algorithm}`, version: 1, algorithm });
      expect(a.key).toHaveLength(KEY_SIZES[algorithm]);
      expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    }
    expect((await manager.createKey("default")).algorithm).toBe("aes-256-gcm");
  });

  it("createKey of an existing id is ALREADY_EXISTS", async () => {
    const manager = new KeyManager({ store: makeStore() });
    await manager.createKey("k");
    await expectStoreError(manager.createKey("k"), "ALREADY_EXISTS");
  });

  it("unknown keys and versions are NOT_FOUND", async () => {
    const manager = new KeyManager({ store: makeStore() });
    await expectStoreError(manager.currentKey("nope"), "NOT_FOUND");
    await manager.createKey("k");
    await expectStoreError(manager.getKey("k", 2), "NOT_FOUND");
    await expectStoreError(manager.getKey("k", 0), "INVALID_ARGUMENT");
    await expectStoreError(manager.rotateKey("nope"), "NOT_FOUND");
  });

  it("rotation: data written under every version stays readable until that version is retired", async () => {
    const manager = new KeyManager({ store: makeStore() });
    const written = [encrypt(await manager.createKey("data"), "v1 data")];
    for (let i = 2; i <= 5; i++) {
      const rotated = await manager.rotateKey("data");
      expect(rotated.version).toBe(i);
      expect((await manager.currentKey("data")).version).toBe(i);
      written.push(encrypt(await manager.currentKey("data"), `v${i} data`));
    }
    for (const sealed of written) {
      expect(decrypt(await manager.getKey(sealed.keyId, sealed.version), sealed)).toBe(
        `v${sealed.version} data`,
      );
    }
    await manager.retireVersion("data", 2);
    await expectStoreError(manager.getKey("data", 2), "NOT_FOUND");
    for (const sealed of written.filter((s) => s.version !== 2)) {
      expect(decrypt(await manager.getKey("data", sealed.version), sealed)).toBe(`v${sealed.version} data`);
    }
    const info = await manager.describeKey("data");
    expect(info.versions.map((v) => [v.version, v.retired])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect((await manager.rotateKey("data")).version).toBe(6);
  });

  it("the current version cannot be retired; retiring twice changes nothing", async () => {
    const manager = new KeyManager({ store: makeStore() });
    await manager.createKey("k");
    await expectStoreError(manager.retireVersion("k", 1), "CONFLICT");
    await manager.rotateKey("k");
    await manager.retireVersion("k", 1);
    await manager.retireVersion("k", 1);
    await expectStoreError(manager.retireVersion("k", 9), "NOT_FOUND");
  });

  it("rotation may change the algorithm of new versions", async () => {
    const manager = new KeyManager({ store: makeStore() });
    await manager.createKey("k", { algorithm: "aes-128-gcm" });
    const next = await manager.rotateKey("k", { algorithm: "xchacha20-poly1305" });
    expect(next.key).toHaveLength(32);
    expect((await manager.getKey("k", 1)).algorithm).toBe("aes-128-gcm");
    expect((await manager.rotateKey("k")).algorithm).toBe("xchacha20-poly1305");
  });

  it("expiry: an expired key cannot encrypt new data but still decrypts; rotation clears it", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const manager = new KeyManager({ store: makeStore(), clock, cacheTtlMs: 0 });
    const v1 = await manager.createKey("k", { expiresAt: clock.now() + 30 * DAY });
    const sealed = encrypt(v1, "before expiry");
    await clock.advance(30 * DAY - 1);
    expect((await manager.currentKey("k")).version).toBe(1);
    await clock.advance(1);
    const error = await expectStoreError(manager.currentKey("k"), "CONFLICT");
    expect(error).toBeInstanceOf(KeyExpiredError);
    expect((error as KeyExpiredError).version).toBe(1);
    expect(decrypt(await manager.getKey("k", 1), sealed)).toBe("before expiry");
    expect((await manager.describeKey("k")).versions[0]?.expired).toBe(true);
    await manager.rotateKey("k", { expiresAt: new Date(clock.now() + DAY) });
    expect((await manager.currentKey("k")).version).toBe(2);
  });

  it("expiresAt must be in the future and well typed", async () => {
    const clock = new ManualClock(1_000_000);
    const manager = new KeyManager({ store: makeStore(), clock });
    await expectStoreError(manager.createKey("k", { expiresAt: 1_000_000 }), "INVALID_ARGUMENT");
    await expectStoreError(manager.createKey("k", { expiresAt: "tomorrow" as never }), "CONFIGURATION");
    await expectStoreError(manager.createKey("k", { algorithm: "des" as never }), "CONFIGURATION");
    await expectStoreError(manager.createKey("k", { ttl: 5 } as never), "CONFIGURATION");
    await expectStoreError(manager.currentKey("k"), "NOT_FOUND");
  });

  it("the audit hook sees every change and access with the clock's time", async () => {
    const clock = new ManualClock(5_000);
    const events: KeyAuditEvent[] = [];
    const manager = new KeyManager({ store: makeStore(), clock, audit: (e) => void events.push(e) });
    await manager.createKey("k");
    await clock.advance(10);
    await manager.rotateKey("k");
    await manager.currentKey("k");
    await manager.getKey("k", 1);
    await manager.retireVersion("k", 1);
    await manager.deleteKey("k");
    expect(events).toEqual([
      { action: "created", keyId: "k", version: 1, at: 5_000 },
      { action: "rotated", keyId: "k", version: 2, at: 5_010 },
      { action: "accessed", keyId: "k", version: 2, at: 5_010 },
      { action: "accessed", keyId: "k", version: 1, at: 5_010 },
      { action: "retired", keyId: "k", version: 1, at: 5_010 },
      { action: "deleted", keyId: "k", version: 2, at: 5_010 },
    ]);
  });

  it("a failing audit hook fails the call with a typed error", async () => {
    const manager = new KeyManager({
      store: makeStore(),
      audit: (e) => {
        if (e.action === "accessed") throw new Error("audit log unavailable");
      },
    });
    await manager.createKey("k");
    const error = await expectStoreError(manager.currentKey("k"), "WRITE");
    expect(error.message).toMatch(/audit hook failed/);
  });

  it("deleteKey removes every version; listKeys never exposes key bytes", async () => {
    const manager = new KeyManager({ store: makeStore() });
    await manager.createKey("b");
    await manager.createKey("a");
    await manager.rotateKey("a");
    const list = await manager.listKeys();
    expect(list.map((k) => [k.keyId, k.currentVersion])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/"key"/);
    await manager.deleteKey("a");
    await expectStoreError(manager.getKey("a", 1), "NOT_FOUND");
    await expectStoreError(manager.deleteKey("a"), "NOT_FOUND");
    expect((await manager.listKeys()).map((k) => k.keyId)).toEqual(["b"]);
  });

  it("concurrent rotations in one process are serialized: consecutive versions, none lost", async () => {
    const store = makeStore();
    const a = new KeyManager({ store });
    const b = new KeyManager({ store });
    await a.createKey("k");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).rotateKey("k")));
    expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    const info = await new KeyManager({ store, cacheTtlMs: 0 }).describeKey("k");
    expect(info.currentVersion).toBe(21);
    for (const r of results) expect((await a.getKey("k", r.version)).key).toEqual(r.key);
  });

  it("material handed out is a copy: changing it does not change the stored key", async () => {
    const manager = new KeyManager({ store: makeStore() });
    const created = await manager.createKey("k");
    const copy = Uint8Array.from(created.key);
    created.key.fill(0);
    (await manager.currentKey("k")).key.fill(0);
    expect((await manager.currentKey("k")).key).toEqual(copy);
  });
});

describe("KeyManager specifics", () => {
  it("two FileKeyStore objects on one directory: a stale write is retried, not lost", async () => {
    const directory = tempDir("two-stores");
    dirs.push(directory);
    const a = new KeyManager({
      store: new FileKeyStore({ directory, masterPassword: "pw", kdfParams: TEST_KDF }),
    });
    const b = new KeyManager({ store: new FileKeyStore({ directory, masterPassword: "pw" }) });
    await a.createKey("k");
    await Promise.all([a.rotateKey("k"), b.rotateKey("k"), a.rotateKey("k"), b.rotateKey("k")]);
    expect(
      (
        await new KeyManager({ store: new FileKeyStore({ directory, masterPassword: "pw" }) }).describeKey(
          "k",
        )
      ).currentVersion,
    ).toBe(5);
  });

  it("caches reads for cacheTtlMs of the injected clock", async () => {
    const clock = new ManualClock(0);
    const store = new InMemoryKeyStore();
    const writer = new KeyManager({ store, clock });
    const reader = new KeyManager({ store, clock, cacheTtlMs: 1_000 });
    await writer.createKey("k");
    expect((await reader.currentKey("k")).version).toBe(1);
    await writer.rotateKey("k");
    expect((await reader.currentKey("k")).version).toBe(1);
    await clock.advance(1_000);
    expect((await reader.currentKey("k")).version).toBe(2);
  });

  it("is a KeyProvider for read-only environment keys and refuses writes with UNSUPPORTED", async () => {
    const { EnvironmentKeyStore } = await import("../src/index.js");
    const key = Buffer.alloc(32, 3);
    const manager = new KeyManager({
      store: new EnvironmentKeyStore({
        env: { TRUTHOUND_KEY_app: `aes-256-gcm:base64:${key.toString("base64")}` },
      }),
    });
    expect((await manager.currentKey("app")).key).toEqual(new Uint8Array(key));
    await expectStoreError(manager.createKey("other"), "UNSUPPORTED");
    await expectStoreError(manager.rotateKey("app"), "UNSUPPORTED");
    await expectStoreError(manager.deleteKey("app"), "UNSUPPORTED");
  });

  it("rejects bad options with CONFIGURATION", () => {
    for (const options of [
      {},
      { store: {} },
      { store: new InMemoryKeyStore(), cacheTtlMs: -1 },
      { store: new InMemoryKeyStore(), bogus: 1 },
    ]) {
      let error: unknown;
      try {
        new KeyManager(options as never);
      } catch (e) {
        error = e;
      }
      expect(isStoreError(error, "CONFIGURATION")).toBe(true);
    }
  });

  it("property: any sequence of rotate/retire keeps every unretired version readable with its original bytes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant("rotate" as const), fc.nat(10)), { maxLength: 25 }),
        async (ops) => {
          const manager = new KeyManager({ store: new InMemoryKeyStore() });
          const issued = new Map<number, Uint8Array>([[1, (await manager.createKey("k")).key]]);
          const retired = new Set<number>();
          let current = 1;
          for (const op of ops) {
            if (op === "rotate") {
              const next = await manager.rotateKey("k");
              current = next.version;
              issued.set(current, next.key);
            } else if (op + 1 !== current && issued.has(op + 1)) {
              await manager.retireVersion("k", op + 1);
              retired.add(op + 1);
            }
          }
          expect((await manager.currentKey("k")).version).toBe(current);
          for (const [version, key] of issued) {
            if (retired.has(version)) await expectStoreError(manager.getKey("k", version), "NOT_FOUND");
            else expect((await manager.getKey("k", version)).key).toEqual(key);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
