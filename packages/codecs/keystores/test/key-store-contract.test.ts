import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { FileKeyStore, InMemoryKeyStore, type KeyStore } from "../src/index.js";
import { expectStoreError, sampleRecord, TEST_KDF, tempDir } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const factories: [string, () => KeyStore][] = [
  ["InMemoryKeyStore", () => new InMemoryKeyStore()],
  [
    "FileKeyStore (master password)",
    () => {
      const directory = tempDir("contract-pw");
      dirs.push(directory);
      return new FileKeyStore({ directory, masterPassword: "correct horse", kdfParams: TEST_KDF });
    },
  ],
  [
    "FileKeyStore (master key)",
    () => {
      const directory = tempDir("contract-mk");
      dirs.push(directory);
      return new FileKeyStore({ directory, masterKey: new Uint8Array(32).fill(9) });
    },
  ],
];

describe.each(factories)("%s: key store contract", (_name, make) => {
  it("create then get returns an equal, independent copy", async () => {
    const store = make();
    const record = sampleRecord("orders");
    await store.create(record);
    record.versions[0]?.key?.fill(0);
    const read = await store.get("orders");
    expect(read).toEqual(sampleRecord("orders"));
    read.versions[0]?.key?.fill(1);
    expect((await store.get("orders")).versions[0]?.key).toEqual(new Uint8Array(32).fill(7));
  });

  it("get of an unknown key is NOT_FOUND", async () => {
    await expectStoreError(make().get("missing"), "NOT_FOUND");
  });

  it("create of an existing key is ALREADY_EXISTS and keeps the stored record", async () => {
    const store = make();
    await store.create(sampleRecord("k"));
    await expectStoreError(store.create(sampleRecord("k", 1)), "ALREADY_EXISTS");
    expect((await store.get("k")).versions[0]?.key).toEqual(new Uint8Array(32).fill(7));
  });

  it("update needs the next revision: stale updates are CONFLICT", async () => {
    const store = make();
    await store.create(sampleRecord("k"));
    const next = sampleRecord("k", 3);
    next.revision = 2;
    await store.update(next);
    await expectStoreError(store.update(next), "CONFLICT");
    const skip = sampleRecord("k", 4);
    skip.revision = 4;
    await expectStoreError(store.update(skip), "CONFLICT");
    const read = await store.get("k");
    expect(read.revision).toBe(2);
    expect(read.versions[0]?.key).toEqual(new Uint8Array(32).fill(3));
  });

  it("update of an unknown key is NOT_FOUND", async () => {
    const record = sampleRecord("nobody");
    record.revision = 2;
    await expectStoreError(make().update(record), "NOT_FOUND");
  });

  it("delete removes; deleting again is NOT_FOUND", async () => {
    const store = make();
    await store.create(sampleRecord("gone"));
    await store.delete("gone");
    await expectStoreError(store.get("gone"), "NOT_FOUND");
    await expectStoreError(store.delete("gone"), "NOT_FOUND");
  });

  it("list returns key ids in code-point order, including ids that need escaping", async () => {
    const store = make();
    const ids = ["b", "a/b", "Z", "_hidden", ".dot", "ünï", "😀", "a b"];
    for (const id of ids) await store.create(sampleRecord(id));
    expect(await store.list()).toEqual([...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    for (const id of ids) expect((await store.get(id)).keyId).toBe(id);
  });

  it("hostile key ids are INVALID_ARGUMENT", async () => {
    const store = make();
    for (const id of ["", "../x", "a/../b", "nul\u0000"]) {
      await expectStoreError(store.get(id), "INVALID_ARGUMENT");
      await expectStoreError(store.create(sampleRecord(id)), "INVALID_ARGUMENT");
    }
  });
});
