import { link, readlink, rename, symlink, unlink } from "node:fs/promises";
import { StoreAbortedError, StoreTimeoutError } from "@truthound/store-core";
import { BACKEND, errnoOf, fsError, isNotFound } from "./fs-errors.js";
import { currentProcess, formatOwner, livenessOf, parseOwner, randomToken } from "./process-identity.js";

/**
 * A cross-process lock held as a symbolic link whose target names the owner (host, boot id, pid). Creating a
 * symlink is atomic and fails if the name exists, and the owner is read back with one `readlink`. A lock left
 * behind by a dead process on this host is broken; a lock held by a live or remote process is waited for.
 */
export class FileLock {
  readonly #owner = formatOwner(currentProcess, randomToken());

  constructor(readonly timeoutMs: number) {}

  /** Acquires the lock at `path`; returns a function that releases it. */
  async acquire(path: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
    const deadline = Date.now() + this.timeoutMs;
    let delay = 1;
    for (;;) {
      if (signal?.aborted)
        throw new StoreAbortedError("Waiting for a lock was aborted", { backend: BACKEND });
      try {
        await symlink(this.#owner, path);
        return () => this.#release(path);
      } catch (error) {
        if (errnoOf(error) !== "EEXIST") throw fsError(error, "WRITE", `Cannot create lock ${path}`);
      }
      if (await this.#breakIfStale(path)) continue;
      if (Date.now() >= deadline) {
        throw new StoreTimeoutError(`Timed out after ${this.timeoutMs} ms waiting for lock ${path}`, {
          backend: BACKEND,
          details: { lock: path },
        });
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 25);
    }
  }

  /** Non-blocking form: undefined when another live process holds the lock. */
  async tryAcquire(path: string): Promise<(() => Promise<void>) | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await symlink(this.#owner, path);
        return () => this.#release(path);
      } catch (error) {
        if (errnoOf(error) !== "EEXIST") throw fsError(error, "WRITE", `Cannot create lock ${path}`);
      }
      if (!(await this.#breakIfStale(path))) return undefined;
    }
    return undefined;
  }

  async #release(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (!isNotFound(error)) throw fsError(error, "WRITE", `Cannot release lock ${path}`);
    }
  }

  /** Breaks the lock if its owner is dead; true when the caller should retry at once. */
  async #breakIfStale(path: string): Promise<boolean> {
    let seen: string;
    try {
      seen = await readlink(path);
    } catch (error) {
      if (isNotFound(error)) return true;
      throw fsError(error, "WRITE", `Cannot read lock ${path}`);
    }
    const owner = parseOwner(seen);
    if (owner === undefined || livenessOf(owner) !== "dead") return false;
    // Move the lock aside and check it is still the dead owner's: a live process may have taken the name
    // between our readlink and rename, and then its lock goes back with link(), which never overwrites.
    const aside = `${path}.stale-${randomToken()}`;
    try {
      await rename(path, aside);
    } catch (error) {
      if (isNotFound(error)) return true;
      throw fsError(error, "WRITE", `Cannot break stale lock ${path}`);
    }
    try {
      if ((await readlink(aside)) !== seen) await link(aside, path).catch(() => undefined);
    } finally {
      await unlink(aside).catch(() => undefined);
    }
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
