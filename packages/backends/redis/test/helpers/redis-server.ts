import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { serviceEnvironment } from "../../../../../scripts/lib/services.mjs";

const env = await serviceEnvironment();

/** The Redis from `scripts/services/start.sh redis`; missing, it skips locally and fails under CI=true. */
export const redisUrl: string | undefined = env.TRUTHOUND_TEST_REDIS_URL || undefined;
if (redisUrl === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_REDIS_URL is not set under CI=true: run scripts/services/start.sh redis and source .cache/services.env",
  );
}

export const toxiproxyUrl: string | undefined = env.TRUTHOUND_TEST_TOXIPROXY_URL || undefined;
if (toxiproxyUrl === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_TOXIPROXY_URL is not set under CI=true: run scripts/services/start.sh toxiproxy and source .cache/services.env",
  );
}

export function requireRedis(): string {
  if (redisUrl === undefined) throw new Error("TRUTHOUND_TEST_REDIS_URL is not set");
  return redisUrl;
}

/** A key prefix of this test file's own: the server is shared with other test runs. */
export function uniquePrefix(label: string): string {
  return `tt-test:${label}:${randomBytes(4).toString("hex")}:`;
}

/** A plain client for looking at keys behind the store's back. */
export function adminClient(): Redis {
  return new Redis(requireRedis(), { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

/** Deletes this prefix's keys only (never FLUSHDB: other test runs share the server). */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = adminClient();
  try {
    const keys = await keysUnder(client, prefix);
    for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  } finally {
    client.disconnect();
  }
}
