import { type FileHandle, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { CoalescedSync } from "./coalesced-sync.js";
import { fsError, isNotFound } from "./fs-errors.js";
import { randomToken } from "./process-identity.js";
import { TempFile } from "./temp-file.js";

/** Prefix of temporary files; `_` keeps them out of document listings (ours and Truthound-py's). */
export const TEMP_PREFIX = "_tmp-";

/**
 * One directory of documents written crash-safely: a temporary file in the same directory is written and
 * fsynced, renamed over the target, and the directory is fsynced, so a reader sees the old or the new
 * document, never a partial one. With `durable: false` the fsyncs are skipped (atomic, not durable).
 */
export class DocumentDirectory {
  readonly #tempStem = `${TEMP_PREFIX}${process.pid}-${randomToken()}-`;
  #tempCounter = 0;
  #handle: FileHandle | undefined;
  readonly #dirSync = new CoalescedSync(async () => {
    this.#handle ??= await open(this.path, "r");
    await this.#handle.sync();
  });

  constructor(
    readonly path: string,
    readonly durable: boolean,
  ) {}

  pathOf(name: string): string {
    return join(this.path, name);
  }

  /**
   * Creates a new temporary file to be written later (synced when durable): the `open` is issued before this
   * returns its promise, so a caller can prepare the bytes meanwhile.
   */
  createTemp(): Promise<TempFile> {
    return TempFile.create(join(this.path, `${this.#tempStem}${++this.#tempCounter}`), this.durable);
  }

  /** Writes `bytes` to a new temporary file (durable when the directory is); returns its path. */
  async writeTemp(bytes: Uint8Array): Promise<string> {
    const temp = await this.createTemp();
    await temp.write(bytes);
    return temp.path;
  }

  /** Atomically replaces `name` with the temporary file, then makes the rename durable. */
  async install(tempPath: string, name: string): Promise<void> {
    await this.place(tempPath, name);
    await this.sync();
  }

  /** Atomically replaces `name` with the temporary file (removed if that fails); not yet durable. */
  async place(tempPath: string, name: string): Promise<void> {
    try {
      await rename(tempPath, join(this.path, name));
    } catch (error) {
      await this.discard(tempPath);
      throw fsError(error, "WRITE", `Cannot rename into ${name}`);
    }
  }

  /** Writes a whole file crash-safely. */
  async writeAtomic(name: string, bytes: Uint8Array): Promise<void> {
    await this.install(await this.writeTemp(bytes), name);
  }

  /** Removes `name`; false if it did not exist. */
  async remove(name: string): Promise<boolean> {
    try {
      await unlink(join(this.path, name));
    } catch (error) {
      if (isNotFound(error)) return false;
      throw fsError(error, "WRITE", `Cannot delete ${name}`);
    }
    await this.sync();
    return true;
  }

  /** The bytes of `name`, or undefined when it does not exist. */
  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.path, name));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw fsError(error, "READ", `Cannot read ${name}`);
    }
  }

  async discard(tempPath: string): Promise<void> {
    await unlink(tempPath).catch(() => undefined);
  }

  sync(): Promise<void> {
    return this.durable ? this.#dirSync.run() : Promise.resolve();
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}
