import { gzipCodec, isStoreError } from "@truthound/store-core";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { clientOptions, RedisStore, reconnectDelay } from "../src/index.js";

function configurationField(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    return (error as { details: { field?: unknown } }).details.field;
  }
  throw new Error("expected a CONFIGURATION error");
}

describe("RedisStore options", () => {
  it.each([
    [{ nope: 1 }, "nope"],
    [{ url: "http://localhost:6379" }, "url"],
    [{ port: 0 }, "port"],
    [{ port: "6379" }, "port"],
    [{ db: -1 }, "db"],
    [{ ttlSeconds: 0 }, "ttlSeconds"],
    [{ ttlSeconds: 1.5 }, "ttlSeconds"],
    [{ keyPrefix: "a*b" }, "keyPrefix"],
    [{ keyPrefix: "a{b}" }, "keyPrefix"],
    [{ keyPrefix: "line\nbreak" }, "keyPrefix"],
    [{ namespace: "../x" }, "namespace"],
    [{ namespace: "a:b" }, "namespace"],
    [{ tls: "yes" }, "tls"],
    [{ client: {} }, "client"],
    [{ retries: -1 }, "retries"],
    [{ url: "redis://h:1", host: "h" }, "host"],
    [{ url: "redis://h:1", port: 1 }, "port"],
    [{ useCompression: true, codecs: [gzipCodec()] }, "useCompression"],
  ])("%j is a CONFIGURATION error naming %s", (options, field) => {
    expect(configurationField(() => new RedisStore(options as never))).toBe(field);
  });

  it("a caller-supplied client cannot be combined with connection settings, and is not closed by the store", async () => {
    const client = new Redis({ lazyConnect: true });
    try {
      expect(configurationField(() => new RedisStore({ client, host: "x" }))).toBe("host");
      expect(configurationField(() => new RedisStore({ client, password: "x" }))).toBe("password");
      const store = new RedisStore({ client });
      expect(store.client).toBe(client);
      await store.close();
      expect(client.status).toBe("wait");
    } finally {
      client.disconnect();
    }
  });

  it("builds fail-fast ioredis settings from the URL, with explicit options taking precedence", () => {
    const fromUrl = clientOptions({ url: "rediss://user:p%40ss@cache.example:6380/3" });
    expect(fromUrl).toMatchObject({
      host: "cache.example",
      port: 6380,
      username: "user",
      password: "p@ss",
      db: 3,
      tls: {},
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
    const overridden = clientOptions({
      url: "redis://h:1/3",
      db: 5,
      password: "x",
      tls: { servername: "s" },
    });
    expect(overridden).toMatchObject({ host: "h", port: 1, db: 5, password: "x", tls: { servername: "s" } });
    expect(clientOptions({})).toMatchObject({ host: "127.0.0.1", port: 6379 });
    expect(clientOptions({ url: "rediss://h", tls: false }).tls).toBeUndefined();
  });

  it("reconnects with exponential backoff and jitter, capped at 2 s", () => {
    expect(reconnectDelay(1, () => 0)).toBe(25);
    expect(reconnectDelay(1, () => 1)).toBe(50);
    expect(reconnectDelay(4, () => 1)).toBe(400);
    expect(reconnectDelay(50, () => 1)).toBe(2000);
    expect(reconnectDelay(50, () => 0)).toBe(1000);
  });
});
