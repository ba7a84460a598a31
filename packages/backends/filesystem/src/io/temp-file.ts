import { constants } from "node:fs";
import { type FileHandle, open, unlink } from "node:fs/promises";
import { fsError } from "./fs-errors.js";

const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
/**
 * With `O_DSYNC` a write returns once its data is durable, as write + fdatasync would, in one system call
 * instead of two. Platforms without it (Windows) sync explicitly.
 */
const DSYNC: number | undefined = constants.O_DSYNC;

/**
 * A new temporary file, opened before its bytes are known so that creating it overlaps serialising them.
 * `write` stores the bytes (durably when asked) and closes it; `discard` removes it.
 */
export class TempFile {
  #handle: FileHandle | undefined;

  private constructor(
    readonly path: string,
    readonly durable: boolean,
    readonly dsync: boolean,
    handle: FileHandle,
  ) {
    this.#handle = handle;
  }

  static async create(path: string, durable: boolean): Promise<TempFile> {
    const dsync = durable && DSYNC !== undefined;
    try {
      const handle = await open(path, dsync ? CREATE_EXCLUSIVE | (DSYNC as number) : CREATE_EXCLUSIVE);
      return new TempFile(path, durable, dsync, handle);
    } catch (error) {
      throw fsError(error, "WRITE", `Cannot create temporary file ${path}`);
    }
  }

  /** Writes all of `bytes`, makes them durable when `durable`, and closes the file. */
  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.#handle;
    try {
      if (handle === undefined) throw new Error("written twice");
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, offset);
        offset += bytesWritten;
      }
      if (this.durable && !this.dsync) await handle.datasync();
      this.#handle = undefined;
      await handle.close();
    } catch (error) {
      await this.discard();
      throw fsError(error, "WRITE", `Cannot write temporary file ${this.path}`);
    }
  }

  /** Closes (if still open) and removes the file; never throws, it is only used on a path that already failed. */
  async discard(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }
}
