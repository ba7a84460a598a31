import { randomUUID } from "node:crypto";
import {
  type OptionsSpec,
  StoreConfigurationError,
  StoreError,
  toStoreError,
  validateOptions,
} from "@truthound/store-core";
import type { Redis } from "ioredis";
import type { SecondLevelCache, SecondLevelLookup, SharedEntry } from "./second-level.js";

export interface RedisCacheOptions {
  /** An ioredis client for commands (the caller owns it and closes it). */
  client: Redis;
  /**
   * A second ioredis connection for the invalidation channel (a subscribed connection cannot run commands);
   * default `client.duplicate()`, closed by `RedisCache.close()`.
   */
  subscriber?: Redis;
  /** Prefix of every key and of the channel; give each cache (each store namespace) its own. */
  keyPrefix: string;
  /** Lifetime of a shared entry (default 3,600). */
  ttlSeconds?: number;
}

const SPEC: OptionsSpec<RedisCacheOptions> = {
  client: { type: "object", required: true },
  subscriber: { type: "object" },
  keyPrefix: {
    type: "string",
    required: true,
    check: (v) => ((v as string).length > 0 ? undefined : "must not be empty"),
  },
  ttlSeconds: { type: "number", check: (v) => ((v as number) > 0 ? undefined : "must be > 0") },
};

/** A version key outlives every fill that could race with it by far. */
const VERSION_TTL_MS = 24 * 3600 * 1000;

// KEYS: entry, version, epoch. ARGV: expected version, expected epoch, value, ttl ms.
const FILL = `
if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] and (redis.call('GET', KEYS[3]) or '0') == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  return 1
end
return 0`;

// KEYS: entry, version. ARGV: channel, message, version ttl ms.
const INVALIDATE = `
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`;

// KEYS: epoch. ARGV: channel, message.
const INVALIDATE_ALL = `
redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`;

interface StoredEntry {
  epoch: string;
  json: string;
  etag: string;
}

interface Message {
  origin: string;
  id?: string;
}

function redisError(error: unknown, what: string): StoreError {
  return toStoreError(error, "CONNECTION", `RedisCache: ${what} failed`, { backend: "redis" });
}

/**
 * A second-level cache in Redis shared by every process that uses the same `keyPrefix`.
 *
 * Each id has a version key; a write or delete bumps it, deletes the entry and publishes the id, all in one
 * script. A fill only lands if the id's version (and the prefix-wide epoch, bumped by `invalidateAll`) is
 * still what the lookup saw, so a reader that loaded an old document from the store never publishes it after
 * a newer write. Other processes drop the id from their first level when the message arrives; after a lost
 * subscriber connection they drop everything, because messages may have been missed.
 */
export class RedisCache implements SecondLevelCache {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #ownsSubscriber: boolean;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #channel: string;
  readonly #origin = randomUUID();
  readonly #listeners = new Set<(id: string | undefined) => void>();
  #subscribed: Promise<void> | undefined;
  #readyBefore = false;
  #closed = false;

  constructor(options: RedisCacheOptions) {
    const o = validateOptions("RedisCache", options, SPEC);
    if (typeof o.client.eval !== "function" || typeof o.client.duplicate !== "function") {
      throw new StoreConfigurationError("RedisCache: option 'client' must be an ioredis client", {
        details: { field: "client" },
      });
    }
    this.#client = o.client;
    this.#ownsSubscriber = o.subscriber === undefined;
    this.#subscriber = o.subscriber ?? o.client.duplicate();
    this.#prefix = o.keyPrefix;
    this.#ttlMs = Math.round((o.ttlSeconds ?? 3600) * 1000);
    this.#channel = `${o.keyPrefix}invalidate`;
    this.#subscriber.on("message", (channel: string, raw: string) => this.#onMessage(channel, raw));
    this.#subscriber.on("ready", () => {
      // A reconnect: invalidations published while disconnected were missed.
      if (this.#readyBefore) this.#emit(undefined);
      this.#readyBefore = true;
    });
  }

  #entryKey(id: string): string {
    return `${this.#prefix}e:${id}`;
  }
  #versionKey(id: string): string {
    return `${this.#prefix}v:${id}`;
  }
  get #epochKey(): string {
    return `${this.#prefix}epoch`;
  }

  /** Subscribes to the invalidation channel; called by `onInvalidate`, awaitable for tests. */
  ready(): Promise<void> {
    this.#subscribed ??= this.#subscriber.subscribe(this.#channel).then(
      () => undefined,
      (error: unknown) => {
        this.#subscribed = undefined;
        throw redisError(error, "subscribe");
      },
    );
    return this.#subscribed;
  }

  onInvalidate(listener: (id: string | undefined) => void): () => void {
    this.#listeners.add(listener);
    this.ready().catch(() => {
      // Surfaced by the next lookup, which awaits ready() again.
    });
    return () => this.#listeners.delete(listener);
  }

  #onMessage(channel: string, raw: string): void {
    if (channel !== this.#channel) return;
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      this.#emit(undefined);
      return;
    }
    if (message.origin === this.#origin) return;
    this.#emit(message.id);
  }

  #emit(id: string | undefined): void {
    for (const listener of this.#listeners) listener(id);
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("RedisCache is closed", { code: "CLOSED", backend: "redis" });
  }

  async lookup(id: string): Promise<SecondLevelLookup> {
    this.#assertOpen();
    if (this.#listeners.size > 0) await this.ready();
    let values: (string | null)[];
    try {
      values = await this.#client.mget(this.#entryKey(id), this.#versionKey(id), this.#epochKey);
    } catch (error) {
      throw redisError(error, "lookup");
    }
    const [raw, version, epoch] = values;
    const currentEpoch = epoch ?? "0";
    const token = JSON.stringify([version ?? "0", currentEpoch]);
    if (raw === null || raw === undefined) return { entry: undefined, token };
    let stored: StoredEntry;
    try {
      stored = JSON.parse(raw) as StoredEntry;
    } catch {
      return { entry: undefined, token };
    }
    if (stored.epoch !== currentEpoch || typeof stored.json !== "string" || typeof stored.etag !== "string") {
      return { entry: undefined, token };
    }
    return { entry: { json: stored.json, etag: stored.etag }, token };
  }

  async fill(id: string, token: string, entry: SharedEntry): Promise<boolean> {
    this.#assertOpen();
    const [version, epoch] = JSON.parse(token) as [string, string];
    const value = JSON.stringify({ epoch, json: entry.json, etag: entry.etag } satisfies StoredEntry);
    try {
      const keys = [this.#entryKey(id), this.#versionKey(id), this.#epochKey];
      return (await this.#client.eval(FILL, 3, ...keys, version, epoch, value, this.#ttlMs)) === 1;
    } catch (error) {
      throw redisError(error, "fill");
    }
  }

  async invalidate(id: string): Promise<void> {
    this.#assertOpen();
    const message = JSON.stringify({ origin: this.#origin, id } satisfies Message);
    try {
      const keys = [this.#entryKey(id), this.#versionKey(id)];
      await this.#client.eval(INVALIDATE, 2, ...keys, this.#channel, message, VERSION_TTL_MS);
    } catch (error) {
      throw redisError(error, "invalidate");
    }
  }

  async invalidateAll(): Promise<void> {
    this.#assertOpen();
    const message = JSON.stringify({ origin: this.#origin } satisfies Message);
    try {
      await this.#client.eval(INVALIDATE_ALL, 1, this.#epochKey, this.#channel, message);
    } catch (error) {
      throw redisError(error, "invalidateAll");
    }
  }

  /** Unsubscribes and closes the subscriber connection if this cache created it; the client stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    if (this.#ownsSubscriber) this.#subscriber.disconnect();
    else {
      try {
        await this.#subscriber.unsubscribe(this.#channel);
      } catch (error) {
        throw redisError(error, "unsubscribe");
      }
    }
  }
}
