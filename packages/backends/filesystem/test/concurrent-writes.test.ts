import { isStoreError, ValidationResult } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

function result(i: number): ValidationResult {
  return new ValidationResult({
    runId: "same",
    runTime: new Date(Date.UTC(2024, 0, 1, 0, i)),
    dataAsset: `asset-${i}`,
    status: "success",
  });
}

describe.each(["fsync", "none"] as const)(
  "concurrent saves of one id in one store (durability %s)",
  (durability) => {
    it("ifMatch lets exactly one of many concurrent writers win, and the index names the winner", async () => {
      const basePath = tempDir(`same-id-${durability}`);
      const store = new FileSystemStore({ basePath, durability });
      const { etag } = await store.saveWithEtag(result(0));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => store.saveWithEtag(result(i + 1), { ifMatch: etag })),
      );
      const won = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i + 1] : []));
      expect(won).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === "rejected") expect(isStoreError(o.reason, "CONFLICT")).toBe(true);
      await store.close();

      const fresh = new FileSystemStore({ basePath, durability });
      expect((await fresh.get("same")).dataAsset).toBe(`asset-${won[0]}`);
      expect(await fresh.listIds({ dataAsset: `asset-${won[0]}` })).toEqual(["same"]);
      await fresh.close();
    });

    it("unconditional concurrent saves all succeed and the index matches the last document", async () => {
      const basePath = tempDir(`same-id-last-${durability}`);
      const store = new FileSystemStore({ basePath, durability });
      await Promise.all(Array.from({ length: 12 }, (_, i) => store.save(result(i))));
      const onDisk = (await store.get("same")).dataAsset;
      expect(await store.listIds({ dataAsset: onDisk })).toEqual(["same"]);
      await store.close();
      const fresh = new FileSystemStore({ basePath, durability });
      expect(await fresh.listIds({ dataAsset: onDisk })).toEqual(["same"]);
      expect(await fresh.count()).toBe(1);
      await fresh.close();
    });
  },
);
