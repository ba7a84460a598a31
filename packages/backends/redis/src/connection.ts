import { Redis, type RedisOptions } from "ioredis";
import type { RedisStoreOptions } from "./options.js";

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_SOCKET_TIMEOUT_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/** Reconnect delay after the n-th failed attempt: exponential from 50 ms, capped at 2 s, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** ioredis settings of a client the store owns: the URL's parts, overridden by the explicit options. */
export function clientOptions(options: RedisStoreOptions<unknown>): RedisOptions {
  const settings: RedisOptions = {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 6379,
    // Connected by initialize(), with its deadline.
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A command issued while disconnected fails at once (a retryable CONNECTION error the store retries
    // with backoff within its deadline) instead of waiting in an unbounded offline queue ...
    enableOfflineQueue: false,
    // ... and commands in flight when the connection drops are rejected, never silently re-sent later.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => reconnectDelay(attempt),
    // A half-open connection (no reply while commands wait) is dropped and re-established.
    socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
  };
  if (options.url !== undefined) {
    const url = new URL(options.url);
    settings.host = url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
    settings.port = url.port === "" ? 6379 : Number(url.port);
    if (url.username !== "") settings.username = decodeURIComponent(url.username);
    if (url.password !== "") settings.password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, "");
    if (db !== "") settings.db = Number(db);
    if (url.protocol === "rediss:") settings.tls = {};
  }
  if (options.db !== undefined) settings.db = options.db;
  if (options.username !== undefined) settings.username = options.username;
  if (options.password !== undefined) settings.password = options.password;
  if (options.tls === true) settings.tls = {};
  else if (options.tls === false) delete settings.tls;
  else if (options.tls !== undefined) settings.tls = options.tls;
  return settings;
}

export function createClient(options: RedisStoreOptions<unknown>): Redis {
  const client = new Redis(clientOptions(options));
  // Errors reach callers through rejected commands; without a listener ioredis would log every reconnect.
  client.on("error", () => undefined);
  return client;
}

/** Resolves once the client is ready, connecting it if it is idle; rejects on the first failure or abort. */
export function waitUntilReady(client: Redis, signal: AbortSignal | undefined): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  if (client.status === "wait" || client.status === "end" || client.status === "close") {
    return client.connect();
  }
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      client.off("ready", onReady);
      client.off("error", onError);
      client.off("end", onEnd);
      signal?.removeEventListener("abort", onAbort);
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => {
      cleanup();
      reject(new Error("Connection is closed."));
    };
    const onAbort = () => {
      cleanup();
      reject(signal?.reason);
    };
    client.once("ready", onReady);
    client.once("error", onError);
    client.once("end", onEnd);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
