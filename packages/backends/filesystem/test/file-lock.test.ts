import { spawnSync } from "node:child_process";
import { linkSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { FileLock } from "../src/io/file-lock.js";
import { KeyedMutex } from "../src/io/keyed-mutex.js";
import { currentProcess, formatOwner } from "../src/io/process-identity.js";
import { tempDir } from "./helpers/temp-dir.js";

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isStoreError(error) ? error.code : `not a StoreError: ${String(error)}`;
}

const ownerFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".owner"));

describe("FileLock", () => {
  it("holds a lock as a hard link to its owner file, and removes the owner file on close", async () => {
    const dir = tempDir("lock-link");
    const lock = new FileLock(1000);
    const release = await lock.acquire(join(dir, "a.lock"), undefined);
    const [owner] = ownerFiles(dir);
    expect(owner).toBeDefined();
    expect(statSync(join(dir, "a.lock")).ino).toBe(statSync(join(dir, owner as string)).ino);
    expect(JSON.parse(readFileSync(join(dir, "a.lock"), "utf8")).p).toBe(process.pid);
    await release();
    expect(readdirSync(dir)).toEqual([owner]);
    await lock.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("breaks a lock left by a dead process and removes that process's owner file", async () => {
    const dir = tempDir("lock-dead");
    const pid = deadPid();
    const deadOwner = join(dir, `owner-${pid}-0000.owner`);
    writeFileSync(deadOwner, formatOwner({ ...currentProcess, pid }, "t"));
    linkSync(deadOwner, join(dir, "a.lock"));
    const lock = new FileLock(1000);
    const release = await lock.acquire(join(dir, "a.lock"), undefined);
    expect(JSON.parse(readFileSync(join(dir, "a.lock"), "utf8")).p).toBe(process.pid);
    expect(ownerFiles(dir)).not.toContain(`owner-${pid}-0000.owner`);
    await release();
    await lock.close();
  });

  it("admits one holder at a time when many contenders find the same dead lock at once", async () => {
    for (let round = 0; round < 10; round++) {
      const dir = tempDir("lock-dead-race");
      const pid = deadPid();
      const deadOwner = join(dir, `owner-${pid}-0000.owner`);
      writeFileSync(deadOwner, formatOwner({ ...currentProcess, pid }, "t"));
      const path = join(dir, "a.lock");
      linkSync(deadOwner, path);
      const locks = [new FileLock(5000), new FileLock(5000), new FileLock(5000)];
      let holders = 0;
      let maxHolders = 0;
      let acquisitions = 0;
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const release = await (locks[i % locks.length] as FileLock).acquire(path, undefined);
          holders++;
          acquisitions++;
          maxHolders = Math.max(maxHolders, holders);
          await new Promise((resolve) => setTimeout(resolve, 1));
          holders--;
          await release();
        }),
      );
      expect(acquisitions).toBe(12);
      expect(maxHolders).toBe(1);
      for (const lock of locks) await lock.close();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it("waits for a live owner: TIMEOUT after lockTimeoutMs, tryAcquire gives up, ABORTED on a signal", async () => {
    const dir = tempDir("lock-live");
    const path = join(dir, "a.lock");
    const holder = new FileLock(1000);
    const other = new FileLock(50);
    const release = await holder.acquire(path, undefined);
    expect(await codeOf(other.acquire(path, undefined))).toBe("TIMEOUT");
    expect(await other.tryAcquire(path)).toBeUndefined();
    expect(await codeOf(other.acquire(path, AbortSignal.abort()))).toBe("ABORTED");
    await release();
    const mine = await other.tryAcquire(path);
    expect(mine).toBeDefined();
    await mine?.();
    await holder.close();
    await other.close();
  });
});

describe("KeyedMutex", () => {
  it("admits one holder per key at a time, in arrival order, and other keys at once", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const first = mutex.tryAcquire("k");
    expect(first).toBeDefined();
    expect(mutex.tryAcquire("k")).toBeUndefined();
    const other = mutex.tryAcquire("other");
    expect(other).toBeDefined();
    const waiters = [1, 2, 3].map(async (i) => {
      const release = await mutex.acquire("k");
      order.push(`in ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`out ${i}`);
      release();
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual([]);
    first?.();
    await Promise.all(waiters);
    expect(order).toEqual(["in 1", "out 1", "in 2", "out 2", "in 3", "out 3"]);
    expect(mutex.tryAcquire("k")).toBeDefined();
  });
});
