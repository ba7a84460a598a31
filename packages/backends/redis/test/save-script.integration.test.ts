import { createHash } from "node:crypto";
import { ValidationResult } from "@truthound/store-core";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { SAVE_SCRIPT } from "../src/lua/write-scripts.js";
import { adminClient, dropPrefix, redisUrl, requireRedis, uniquePrefix } from "./helpers/redis-server.js";

const sha = createHash("sha1").update(SAVE_SCRIPT).digest("hex");

describe.skipIf(redisUrl === undefined)("the save script", () => {
  const keyPrefix = uniquePrefix("script");
  const admin = redisUrl === undefined ? undefined : adminClient();
  afterAll(async () => {
    admin?.disconnect();
    await dropPrefix(keyPrefix);
  });

  it("without its staged document changes nothing; a repeated call is recognised by its etag", async () => {
    const store = new RedisStore({ url: requireRedis(), keyPrefix, namespace: "script" });
    const client = admin as NonNullable<typeof admin>;
    try {
      const original = new ValidationResult({
        runId: "r1",
        dataAsset: "a",
        status: "success",
        tags: { k: "v" },
      });
      const { etag } = await store.saveWithEtag(original);
      await client.script("LOAD", SAVE_SCRIPT);
      const args = (newEtag: string) => [
        store.keys.base,
        "r1",
        newEtag,
        "5",
        "b",
        "failure",
        "{}",
        "",
        "",
        "",
      ];
      expect(await client.evalsha(sha, 0, ...args("never-staged"))).toEqual(["unstaged"]);
      const after = await store.getWithEtag("r1");
      expect(after.etag).toBe(etag);
      expect(after.item.toDict()).toEqual(original.toDict());
      expect(await store.listIds({ dataAsset: "a", tags: { k: "v" } })).toEqual(["r1"]);
      expect(await store.count({ dataAsset: "b" })).toBe(0);

      // The reply of an applied save was lost and the client retries: the etag in place is its own.
      expect(await client.evalsha(sha, 0, ...args(etag))).toEqual(["ok", "replayed"]);
      expect((await store.getWithEtag("r1")).etag).toBe(etag);
      expect(await client.exists(`${store.keys.base}s:${etag}`)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
