import { link, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { StoreAbortedError, StoreTimeoutError } from "@truthound/store-core";
import { BACKEND, errnoOf, fsError, isNotFound } from "./fs-errors.js";
import { currentProcess, formatOwner, livenessOf, parseOwner, randomToken } from "./process-identity.js";

/** Suffix of owner files; lock names never end with it. */
export const OWNER_SUFFIX = ".owner";
const OWNER_PREFIX = "owner-";
/** An owner file that cannot be parsed is a creation cut short by a crash once it is this old. */
const UNREADABLE_OWNER_MAX_AGE_MS = 60 * 60_000;
/** Retries without sleeping after a lock vanished or was broken, before backing off again. */
const IMMEDIATE_RETRIES = 3;

/**
 * A cross-process lock held as a hard link, at the lock's path, to this instance's owner file, whose content
 * names the owner (host, boot id, pid, token). `link()` is atomic and fails if the name exists, and unlike a
 * symbolic link it allocates no inode, so taking and releasing a lock are two cheap directory operations. The
 * owner is read back through the lock's own name. A lock left behind by a dead process on this host is broken;
 * a lock held by a live or remote process is waited for.
 */
export class FileLock {
  readonly #owner = formatOwner(currentProcess, randomToken());
  readonly #ownerName = `${OWNER_PREFIX}${currentProcess.pid}-${randomToken()}${OWNER_SUFFIX}`;
  /** Lock directory -> our owner file there, created on first use (links cannot cross filesystems). */
  readonly #ownerFiles = new Map<string, Promise<string>>();
  readonly #readyOwnerFiles = new Map<string, string>();

  constructor(readonly timeoutMs: number) {}

  /**
   * Acquires the lock at `path`; returns a function that releases it. Once the owner file exists, the first
   * attempt is issued before this returns, so it runs while the caller prepares its write.
   */
  acquire(path: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
    if (signal?.aborted) return Promise.reject(abortedError());
    const ready = this.#readyOwnerFiles.get(dirname(path));
    return this.#acquire(path, ready === undefined ? undefined : this.#tryLink(ready, path), signal);
  }

  async #acquire(
    path: string,
    firstAttempt: Promise<boolean> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<() => Promise<void>> {
    const release = () => this.#release(path);
    if (firstAttempt !== undefined && (await firstAttempt)) return release;
    const ownerFile = await this.#ownerFileFor(dirname(path));
    const deadline = Date.now() + this.timeoutMs;
    let delay = 1;
    let immediate = 0;
    let attempted = firstAttempt !== undefined;
    for (;;) {
      if (!attempted) {
        if (signal?.aborted) throw abortedError();
        if (await this.#tryLink(ownerFile, path)) return release;
      }
      attempted = false;
      if ((await this.#breakIfStale(path)) && immediate++ < IMMEDIATE_RETRIES) continue;
      immediate = 0;
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
    const ownerFile = await this.#ownerFileFor(dirname(path));
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.#tryLink(ownerFile, path)) return () => this.#release(path);
      if (!(await this.#breakIfStale(path))) return undefined;
    }
    return undefined;
  }

  /** Removes our owner files; locks still held keep their content (they are links to the same inode). */
  async close(): Promise<void> {
    const files = await Promise.allSettled(this.#ownerFiles.values());
    this.#ownerFiles.clear();
    this.#readyOwnerFiles.clear();
    for (const file of files) {
      if (file.status !== "fulfilled") continue;
      try {
        await unlink(file.value);
      } catch (error) {
        if (!isNotFound(error)) throw fsError(error, "WRITE", `Cannot remove lock owner file ${file.value}`);
      }
    }
  }

  async #tryLink(ownerFile: string, path: string, recreateOwner = true): Promise<boolean> {
    try {
      await link(ownerFile, path);
      return true;
    } catch (error) {
      if (errnoOf(error) === "EEXIST") return false;
      if (recreateOwner && isNotFound(error) && !(await exists(ownerFile))) {
        // Someone removed our owner file (e.g. the directory was cleaned): write it again.
        this.#ownerFiles.delete(dirname(path));
        this.#readyOwnerFiles.delete(dirname(path));
        return this.#tryLink(await this.#ownerFileFor(dirname(path)), path, false);
      }
      throw fsError(error, "WRITE", `Cannot create lock ${path}`);
    }
  }

  #ownerFileFor(dir: string): Promise<string> {
    let file = this.#ownerFiles.get(dir);
    if (file === undefined) {
      file = this.#createOwnerFile(dir);
      this.#ownerFiles.set(dir, file);
      file.then(
        (path) => this.#readyOwnerFiles.set(dir, path),
        () => this.#ownerFiles.delete(dir),
      );
    }
    return file;
  }

  /**
   * Writes and syncs the owner file before any lock links to it, so a lock never names a partial owner, even
   * after a power loss. Owner files of dead processes in the directory are removed on the way.
   */
  async #createOwnerFile(dir: string): Promise<string> {
    await removeDeadOwnerFiles(dir);
    const path = join(dir, this.#ownerName);
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(this.#owner);
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw fsError(error, "WRITE", `Cannot create lock owner file in ${dir}`);
    }
    return path;
  }

  async #release(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if (!isNotFound(error)) throw fsError(error, "WRITE", `Cannot release lock ${path}`);
    }
  }

  /**
   * Breaks the lock if its owner is dead; true when the caller should retry at once. Breakers are serialized by
   * a second lock (`{path}.breaking`): only a breaker removes a lock it does not own, and it re-reads the owner
   * under that lock, so a lock just taken by a live process is never removed (several processes may find the
   * same dead lock at once).
   */
  async #breakIfStale(path: string): Promise<boolean> {
    const seen = await readOwnerText(path);
    if (seen === undefined) return true;
    if (!isDeadOwner(seen)) return false;
    const breaker = `${path}${BREAKER_SUFFIX}`;
    if (!(await this.#tryLink(await this.#ownerFileFor(dirname(path)), breaker))) {
      await removeDeadBreaker(breaker);
      return false;
    }
    try {
      if ((await readOwnerText(path)) === seen) await this.#release(path);
    } finally {
      await this.#release(breaker);
    }
    return true;
  }
}

const BREAKER_SUFFIX = ".breaking";

function isDeadOwner(text: string): boolean {
  const owner = parseOwner(text);
  return owner !== undefined && livenessOf(owner) === "dead";
}

/**
 * A breaker that died while breaking leaves its `.breaking` lock behind. It is moved aside and put back unless
 * it is still the dead breaker's (link() never overwrites a breaker taken meanwhile).
 */
async function removeDeadBreaker(breaker: string): Promise<void> {
  const seen = await readOwnerText(breaker);
  if (seen === undefined || !isDeadOwner(seen)) return;
  const aside = `${breaker}.stale-${randomToken()}`;
  try {
    await rename(breaker, aside);
  } catch (error) {
    if (isNotFound(error)) return;
    throw fsError(error, "WRITE", `Cannot break stale lock ${breaker}`);
  }
  try {
    if ((await readOwnerText(aside)) !== seen) await link(aside, breaker).catch(() => undefined);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** The owner named by a lock or owner file; undefined when it no longer exists. */
async function readOwnerText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw fsError(error, "WRITE", `Cannot read lock ${path}`);
  }
}

async function removeDeadOwnerFiles(dir: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.startsWith(OWNER_PREFIX) && n.endsWith(OWNER_SUFFIX));
  } catch (error) {
    throw fsError(error, "WRITE", `Cannot list lock directory ${dir}`);
  }
  for (const name of names) {
    const path = join(dir, name);
    const text = await readOwnerText(path);
    if (text === undefined) continue;
    const owner = parseOwner(text);
    const dead =
      owner === undefined ? await olderThan(path, UNREADABLE_OWNER_MAX_AGE_MS) : livenessOf(owner) === "dead";
    if (dead) await unlink(path).catch(() => undefined);
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw fsError(error, "WRITE", `Cannot check ${path}`);
  }
}

function abortedError(): StoreAbortedError {
  return new StoreAbortedError("Waiting for a lock was aborted", { backend: BACKEND });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
