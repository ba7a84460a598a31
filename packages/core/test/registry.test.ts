import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  getBackendMeta,
  getStore,
  isBackendAvailable,
  isStoreError,
  listAvailableBackends,
  packageForBackend,
  registerStore,
  type Store,
  type StoreError,
  unregisterStore,
} from "../src/index.js";

const uniqueName = () => `test${randomBytes(4).toString("hex")}`;

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("registry", () => {
  it("registers a backend with aliases; getStore passes the options to its factory", async () => {
    const name = uniqueName();
    const alias = `${name}-alias`;
    const calls: Record<string, unknown>[] = [];
    const fake = { backend: name } as unknown as Store<unknown>;
    registerStore(
      name,
      (options) => {
        calls.push(options);
        return fake;
      },
      { packageName: "@acme/truthound-store-fake", aliases: [alias] },
    );
    expect(await getStore(name, { a: 1 })).toBe(fake);
    expect(await getStore(` ${alias.toUpperCase()} `)).toBe(fake);
    expect(calls).toEqual([{ a: 1 }, {}]);
    expect(isBackendAvailable(alias)).toBe(true);
    expect(listAvailableBackends()).toContain(name);
    expect(packageForBackend(alias)).toBe("@acme/truthound-store-fake");
    expect(getBackendMeta(name)).toMatchObject({
      packageName: "@acme/truthound-store-fake",
      aliases: [alias],
    });
    expect(unregisterStore(name)).toBe(true);
    expect(listAvailableBackends()).not.toContain(name);
    expect(unregisterStore(name)).toBe(false);
  });

  it("lists backends sorted", () => {
    const [b, a] = [`zz${uniqueName()}`, `aa${uniqueName()}`];
    registerStore(b, () => ({}) as Store<unknown>);
    registerStore(a, () => ({}) as Store<unknown>);
    const listed = listAvailableBackends();
    expect(listed).toEqual([...listed].sort());
    unregisterStore(a);
    unregisterStore(b);
  });

  it("lives on globalThis under a Symbol.for key, so copies of core share it", () => {
    const name = uniqueName();
    registerStore(name, () => ({}) as Store<unknown>);
    const shared = (globalThis as unknown as Record<symbol, { backends: Map<string, unknown> }>)[
      Symbol.for("@truthound/store-core/registry")
    ];
    expect(shared?.backends.has(name)).toBe(true);
    unregisterStore(name);
  });

  it("getStore of a backend whose package is missing is BACKEND_NOT_INSTALLED naming the package", async () => {
    const name = uniqueName();
    const error = await rejection(getStore(name));
    expect(error.code).toBe("BACKEND_NOT_INSTALLED");
    expect(error.message).toContain(`@truthound/store-${name}`);
    expect(error.details.packageName).toBe(`@truthound/store-${name}`);
    expect(isBackendAvailable(name)).toBe(false);
  });

  it("maps built-in names and aliases to their packages", () => {
    expect(packageForBackend("database")).toBe("@truthound/store-sql");
    expect(packageForBackend("db")).toBe("@truthound/store-sql");
    expect(packageForBackend("SQL")).toBe("@truthound/store-sql");
    expect(packageForBackend("azure_blob")).toBe("@truthound/store-azure");
    expect(packageForBackend("fs")).toBe("@truthound/store-filesystem");
    expect(packageForBackend("memory")).toBe("@truthound/store-memory");
  });

  it("rejects empty names and non-function factories with INVALID_ARGUMENT", async () => {
    expect((await rejection(getStore("  "))).code).toBe("INVALID_ARGUMENT");
    let error: unknown;
    try {
      registerStore(uniqueName(), "nope" as never);
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error, "INVALID_ARGUMENT")).toBe(true);
  });
});
