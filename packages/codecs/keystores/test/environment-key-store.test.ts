import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { EnvironmentKeyStore } from "../src/index.js";
import { expectStoreError, sampleRecord } from "./helpers.js";

const k32 = Buffer.alloc(32, 0xab);
const k16 = Buffer.alloc(16, 0xcd);

function configurationError(
  env: Record<string, string>,
  prefix?: string,
): Error & { details: { field: string } } {
  try {
    new EnvironmentKeyStore({ env, ...(prefix ? { prefix } : {}) });
  } catch (error) {
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    return error as Error & { details: { field: string } };
  }
  throw new Error("expected a CONFIGURATION error");
}

describe("EnvironmentKeyStore", () => {
  it("reads versioned keys in base64 and hex; the highest version is current", async () => {
    const store = new EnvironmentKeyStore({
      env: {
        TRUTHOUND_KEY_orders: `aes-256-gcm:base64:${k32.toString("base64")}`,
        TRUTHOUND_KEY_orders_V2: `chacha20-poly1305:hex:${k32.toString("hex").toUpperCase()}`,
        TRUTHOUND_KEY_small_V1: `aes-128-gcm:hex:${k16.toString("hex")}`,
        UNRELATED: "x",
      },
    });
    expect(await store.list()).toEqual(["orders", "small"]);
    const orders = await store.get("orders");
    expect(orders.versions.map((v) => [v.version, v.algorithm])).toEqual([
      [1, "aes-256-gcm"],
      [2, "chacha20-poly1305"],
    ]);
    expect(orders.versions[1]?.key).toEqual(new Uint8Array(k32));
    expect((await store.get("small")).versions[0]?.key).toEqual(new Uint8Array(k16));
    await expectStoreError(store.get("missing"), "NOT_FOUND");
  });

  it("honours a custom prefix", async () => {
    const store = new EnvironmentKeyStore({
      prefix: "APP_KEY_",
      env: { APP_KEY_X: `aes-128-gcm:base64:${k16.toString("base64")}` },
    });
    expect(await store.list()).toEqual(["X"]);
  });

  it("is read-only: writes are UNSUPPORTED", async () => {
    const store = new EnvironmentKeyStore({ env: {} });
    expect(store.readOnly).toBe(true);
    await expectStoreError(store.create(sampleRecord("k")), "UNSUPPORTED");
    await expectStoreError(store.update(sampleRecord("k")), "UNSUPPORTED");
    await expectStoreError(store.delete("k"), "UNSUPPORTED");
  });

  it.each([
    ["no algorithm part", { TRUTHOUND_KEY_A: k32.toString("base64") }, "TRUTHOUND_KEY_A"],
    ["an unknown algorithm", { TRUTHOUND_KEY_A: `des:base64:${k32.toString("base64")}` }, "TRUTHOUND_KEY_A"],
    [
      "an unknown encoding",
      { TRUTHOUND_KEY_A: `aes-256-gcm:base32:${k32.toString("base64")}` },
      "TRUTHOUND_KEY_A",
    ],
    ["bad base64", { TRUTHOUND_KEY_A: "aes-256-gcm:base64:!!!" }, "TRUTHOUND_KEY_A"],
    ["bad hex", { TRUTHOUND_KEY_A: "aes-256-gcm:hex:abc" }, "TRUTHOUND_KEY_A"],
    [
      "a 16-byte key for AES-256",
      { TRUTHOUND_KEY_A_V3: `aes-256-gcm:base64:${k16.toString("base64")}` },
      "TRUTHOUND_KEY_A_V3",
    ],
    [
      "a 32-byte key for AES-128",
      { TRUTHOUND_KEY_A: `aes-128-gcm:base64:${k32.toString("base64")}` },
      "TRUTHOUND_KEY_A",
    ],
    [
      "version 1 set twice",
      {
        TRUTHOUND_KEY_A: `aes-128-gcm:base64:${k16.toString("base64")}`,
        TRUTHOUND_KEY_A_V1: `aes-128-gcm:base64:${k16.toString("base64")}`,
      },
      "TRUTHOUND_KEY_A_V1",
    ],
    ["an empty key id", { TRUTHOUND_KEY_: `aes-128-gcm:base64:${k16.toString("base64")}` }, "TRUTHOUND_KEY_"],
  ])("%s is CONFIGURATION naming the variable, never echoing the key", (_name, env, variable) => {
    const error = configurationError(env as Record<string, string>);
    expect(error.details.field).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(k32.toString("base64"));
    expect(error.message).not.toContain(k16.toString("base64"));
  });

  it("rejects a bad prefix and unknown options", () => {
    configurationError({}, "1BAD");
    expect(() => new EnvironmentKeyStore({ env: {}, json: true } as never)).toThrow(/unknown option/);
  });
});
