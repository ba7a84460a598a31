import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileKeyStore, KeyManager } from "../src/index.js";
import { expectStoreError, sampleRecord, TEST_KDF, tempDir } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dir(label: string): string {
  const d = tempDir(label);
  dirs.push(d);
  return d;
}

function passwordStore(directory: string, password = "correct horse") {
  return new FileKeyStore({ directory, masterPassword: password, kdfParams: TEST_KDF });
}

const keyPath = (directory: string, id: string) => join(directory, "keys", `${id}.key`);
const mode = (path: string) => statSync(path).mode & 0o777;

describe("FileKeyStore configuration", () => {
  it("refuses to store keys without a master password or key", () => {
    expect(() => new FileKeyStore({ directory: dir("plain") })).toThrow(/never stored in plaintext/);
  });

  it("refuses both a master password and a master key", () => {
    expect(
      () => new FileKeyStore({ directory: dir("both"), masterPassword: "x", masterKey: new Uint8Array(32) }),
    ).toThrow(/exactly one/);
  });

  it.each([
    [{ masterKey: new Uint8Array(16) }, "masterKey"],
    [{ masterPassword: "" }, "masterPassword"],
    [{ masterPassword: 42 }, "masterPassword"],
    [{ masterKey: new Uint8Array(32), kdfParams: { iterations: 3 } }, "kdfParams"],
    [{ masterPassword: "x", durability: "none" }, "durability"],
  ])("%o is CONFIGURATION naming %s", (extra, field) => {
    let error: unknown;
    try {
      new FileKeyStore({ directory: dir("cfg"), ...(extra as object) });
    } catch (e) {
      error = e;
    }
    expect((error as { code: string }).code).toBe("CONFIGURATION");
    expect((error as { details: { field: string } }).details.field).toBe(field);
  });

  it("refuses hostile Argon2id parameters for a new store with CONFIGURATION", async () => {
    const store = new FileKeyStore({
      directory: dir("cost"),
      masterPassword: "x",
      kdfParams: { memoryKiB: 2 ** 31 },
    });
    await expectStoreError(store.open(), "CONFIGURATION");
  });

  it("refuses a directory that holds other files", async () => {
    const directory = dir("foreign");
    writeFileSync(join(directory, "notes.txt"), "hello");
    await expectStoreError(passwordStore(directory).open(), "CONFIGURATION");
  });

  it("uses the OWASP Argon2id baseline when no cost is given", async () => {
    const directory = dir("default-cost");
    await new FileKeyStore({ directory, masterPassword: "pw" }).open();
    const metadata = JSON.parse(readFileSync(join(directory, "keystore.json"), "utf8"));
    expect(metadata.kdf.kdf).toBe("argon2id");
    expect(metadata.kdf.params).toEqual({ memoryKiB: 19_456, iterations: 2, parallelism: 1 });
    expect(Buffer.from(metadata.kdf.salt, "base64")).toHaveLength(16);
  });
});

describe("FileKeyStore at rest", () => {
  it("writes files 0600 and directories 0700 whatever the umask", async () => {
    const directory = dir("perm");
    const previous = process.umask(0o000);
    try {
      const store = passwordStore(directory);
      await store.create(sampleRecord("k"));
      const next = sampleRecord("k", 2);
      next.revision = 2;
      await store.update(next);
    } finally {
      process.umask(previous);
    }
    expect(mode(directory)).toBe(0o700);
    expect(mode(join(directory, "keys"))).toBe(0o700);
    expect(mode(join(directory, "keystore.json"))).toBe(0o600);
    expect(mode(keyPath(directory, "k"))).toBe(0o600);
  });

  it("never writes key bytes, or their base64 or hex, in the clear", async () => {
    const directory = dir("clear");
    const manager = new KeyManager({ store: passwordStore(directory) });
    const created = await manager.createKey("secret-key");
    const rotated = await manager.rotateKey("secret-key");
    const raw = readFileSync(keyPath(directory, "secret-key"));
    for (const key of [created.key, rotated.key]) {
      const bytes = Buffer.from(key);
      expect(raw.includes(bytes)).toBe(false);
      expect(raw.includes(Buffer.from(bytes.toString("base64")))).toBe(false);
      expect(raw.includes(Buffer.from(bytes.toString("hex")))).toBe(false);
    }
    expect(JSON.parse(raw.toString("utf8"))).toMatchObject({
      format: "truthound-key",
      version: 1,
      keyId: "secret-key",
    });
  });

  it("reopens with the same password and reads every version", async () => {
    const directory = dir("reopen");
    const first = new KeyManager({ store: passwordStore(directory) });
    const v1 = await first.createKey("k", { algorithm: "aes-128-gcm" });
    const v2 = await first.rotateKey("k");
    const second = new KeyManager({ store: passwordStore(directory) });
    expect((await second.getKey("k", 1)).key).toEqual(v1.key);
    expect((await second.getKey("k", 2)).key).toEqual(v2.key);
    expect((await second.currentKey("k")).version).toBe(2);
    expect(v2.key).toHaveLength(16);
  });

  it("works with a master key instead of a password", async () => {
    const directory = dir("master-key");
    const masterKey = new Uint8Array(32).fill(5);
    const a = new KeyManager({ store: new FileKeyStore({ directory, masterKey }) });
    const created = await a.createKey("k");
    const b = new KeyManager({
      store: new FileKeyStore({ directory, masterKey: new Uint8Array(32).fill(5) }),
    });
    expect((await b.currentKey("k")).key).toEqual(created.key);
  });
});

describe("FileKeyStore authentication", () => {
  async function populated(label: string) {
    const directory = dir(label);
    const store = passwordStore(directory);
    await store.create(sampleRecord("k"));
    await store.create(sampleRecord("other", 9));
    return directory;
  }

  it("a wrong master password is INTEGRITY for every operation, never NOT_FOUND", async () => {
    const directory = await populated("wrong-pw");
    const wrong = passwordStore(directory, "wrong horse");
    await expectStoreError(wrong.get("k"), "INTEGRITY");
    await expectStoreError(wrong.get("missing"), "INTEGRITY");
    await expectStoreError(wrong.list(), "INTEGRITY");
    await expectStoreError(wrong.create(sampleRecord("new")), "INTEGRITY");
    expect(existsSync(keyPath(directory, "new"))).toBe(false);
  });

  it("a wrong master key is INTEGRITY", async () => {
    const directory = dir("wrong-mk");
    await new FileKeyStore({ directory, masterKey: new Uint8Array(32).fill(1) }).create(sampleRecord("k"));
    await expectStoreError(
      new FileKeyStore({ directory, masterKey: new Uint8Array(32).fill(2) }).get("k"),
      "INTEGRITY",
    );
  });

  it("a password for a master-key store (or the reverse) is CONFIGURATION", async () => {
    const directory = dir("kind");
    await new FileKeyStore({ directory, masterKey: new Uint8Array(32) }).open();
    await expectStoreError(passwordStore(directory).open(), "CONFIGURATION");
  });

  it("a flipped bit anywhere in the sealed key file is INTEGRITY", async () => {
    const directory = await populated("flip");
    const path = keyPath(directory, "k");
    const file = JSON.parse(readFileSync(path, "utf8"));
    const sealed = Buffer.from(file.ciphertext, "base64");
    for (const at of [0, Math.floor(sealed.length / 2), sealed.length - 1]) {
      const copy = Buffer.from(sealed);
      copy[at] = (copy[at] as number) ^ 0x01;
      writeFileSync(path, JSON.stringify({ ...file, ciphertext: copy.toString("base64") }), { mode: 0o600 });
      await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    }
    const nonce = Buffer.from(file.nonce, "base64");
    nonce[0] = (nonce[0] as number) ^ 0x80;
    writeFileSync(path, JSON.stringify({ ...file, nonce: nonce.toString("base64") }), { mode: 0o600 });
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
  });

  it("the key id is bound: a file renamed or relabelled as another key is INTEGRITY", async () => {
    const directory = await populated("swap");
    renameSync(keyPath(directory, "other"), keyPath(directory, "k"));
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    const file = JSON.parse(readFileSync(keyPath(directory, "k"), "utf8"));
    writeFileSync(keyPath(directory, "k"), JSON.stringify({ ...file, keyId: "k" }), { mode: 0o600 });
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
  });

  it("the revision is bound: changing it is INTEGRITY", async () => {
    const directory = await populated("revision");
    const file = JSON.parse(readFileSync(keyPath(directory, "k"), "utf8"));
    writeFileSync(keyPath(directory, "k"), JSON.stringify({ ...file, revision: 7 }), { mode: 0o600 });
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
  });

  it("edited keystore.json parameters are INTEGRITY, and hostile costs are refused before any work", async () => {
    const directory = await populated("meta");
    const path = join(directory, "keystore.json");
    const original = readFileSync(path, "utf8");
    const metadata = JSON.parse(original);
    writeFileSync(
      path,
      JSON.stringify({
        ...metadata,
        kdf: { ...metadata.kdf, params: { ...metadata.kdf.params, iterations: 2 } },
      }),
    );
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    writeFileSync(
      path,
      JSON.stringify({
        ...metadata,
        kdf: { ...metadata.kdf, params: { ...metadata.kdf.params, memoryKiB: 2 ** 32 } },
      }),
    );
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    writeFileSync(
      path,
      JSON.stringify({
        ...metadata,
        kdf: { ...metadata.kdf, kdf: "pbkdf2-sha256", params: { iterations: 1 } },
      }),
    );
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    writeFileSync(path, JSON.stringify({ ...metadata, version: 2 }));
    await expectStoreError(passwordStore(directory).get("k"), "INTEGRITY");
    writeFileSync(path, original);
    expect((await passwordStore(directory).get("k")).keyId).toBe("k");
  });

  it("a deleted keystore.json with key files left is INTEGRITY, not a fresh empty store", async () => {
    const directory = await populated("no-meta");
    rmSync(join(directory, "keystore.json"));
    await expectStoreError(passwordStore(directory).list(), "INTEGRITY");
    expect(existsSync(join(directory, "keystore.json"))).toBe(false);
  });

  it("a key file readable by group or others is PERMISSION", async () => {
    const directory = await populated("loose");
    chmodSync(keyPath(directory, "k"), 0o644);
    await expectStoreError(passwordStore(directory).get("k"), "PERMISSION");
    chmodSync(keyPath(directory, "k"), 0o600);
    expect((await passwordStore(directory).get("k")).keyId).toBe("k");
  });

  it("a corrupt or foreign file name in keys/ is INTEGRITY for list", async () => {
    const directory = await populated("names");
    writeFileSync(join(directory, "keys", "bad%zz.key"), "x", { mode: 0o600 });
    await expectStoreError(passwordStore(directory).list(), "INTEGRITY");
  });

  it("close forgets the KEK: later calls are CLOSED", async () => {
    const store = passwordStore(dir("close"));
    await store.create(sampleRecord("k"));
    store.close();
    await expectStoreError(store.get("k"), "CLOSED");
  });
});

describe("FileKeyStore atomicity", () => {
  it("concurrent updates from two store objects in one process: exactly one wins, the other is CONFLICT", async () => {
    const directory = dir("race");
    const a = passwordStore(directory);
    const b = passwordStore(directory);
    await a.create(sampleRecord("k"));
    await b.open();
    for (let round = 2; round < 12; round++) {
      const fromA = sampleRecord("k", 1);
      const fromB = sampleRecord("k", 2);
      fromA.revision = round;
      fromB.revision = round;
      const outcomes = await Promise.allSettled([a.update(fromA), b.update(fromB)]);
      const won = outcomes.filter((o) => o.status === "fulfilled");
      expect(won).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(lost.reason.code).toBe("CONFLICT");
      expect((await passwordStore(directory).get("k")).revision).toBe(round);
    }
  });

  it("leftover temp files from an interrupted write are ignored and the old file stays readable", async () => {
    const directory = dir("leftover");
    const store = passwordStore(directory);
    await store.create(sampleRecord("k"));
    writeFileSync(join(directory, "keys", ".k.key.0123456789ab.tmp"), '{"format":"truncat', { mode: 0o600 });
    const fresh = passwordStore(directory);
    expect(await fresh.list()).toEqual(["k"]);
    expect((await fresh.get("k")).versions[0]?.key).toEqual(new Uint8Array(32).fill(7));
  });
});
