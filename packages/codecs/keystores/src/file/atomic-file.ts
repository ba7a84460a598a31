import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  type StoreError,
  StorePermissionError,
  StoreReadError,
  StoreWriteError,
} from "@truthound/store-core";

// Key files are small and rarely written, so this module uses the synchronous API: one open/fstat/read/close
// is several times cheaper than fs.promises.readFile, and a write cannot interleave with another in-process
// operation on the same file.

const PRIVATE_FILE_MODE = 0o600;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export function mapFsError(error: unknown, path: string, writing: boolean): StoreError {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === "EACCES" || code === "EPERM") {
    return new StorePermissionError(`Permission denied on ${path}: ${detail}`, { cause: error });
  }
  const options = { cause: error, retryable: code === "EAGAIN" || code === "EBUSY" || code === "EMFILE" };
  return writing
    ? new StoreWriteError(`Cannot write ${path}: ${detail}`, options)
    : new StoreReadError(`Cannot read ${path}: ${detail}`, options);
}

export function isMissing(error: unknown): boolean {
  return errorCode(error) === "ENOENT";
}

/**
 * Reads a private file: refuses one that group or others may access (as ssh does for private keys) and one
 * larger than `maxBytes`. Throws the raw ENOENT error for a missing file so callers can map it.
 */
export function readPrivateFile(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const stat = fstatSync(fd);
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      throw new StorePermissionError(
        `${path} is accessible by group or others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    if (stat.size > maxBytes) {
      throw new StoreReadError(
        `${path} is ${stat.size} bytes, more than the ${maxBytes} a key file may have`,
      );
    }
    const buffer = Buffer.allocUnsafe(stat.size);
    let offset = 0;
    while (offset < buffer.length) {
      const read = readSync(fd, buffer, offset, buffer.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(directory: string): void {
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeTemp(path: string, data: Uint8Array): string {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", PRIVATE_FILE_MODE);
  try {
    // The mode given to open is filtered by the umask; set it explicitly.
    fchmodSync(fd, PRIVATE_FILE_MODE);
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(temp);
    throw error;
  }
  closeSync(fd);
  return temp;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // A leftover temp file is harmless: readers skip dot-files. Any primary error still propagates.
  }
}

/** Replaces `path` atomically: temp file (0600) + fsync + rename + directory fsync. A crash leaves the old file. */
export function replaceFileAtomically(path: string, data: Uint8Array): void {
  const temp = writeTemp(path, data);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkQuietly(temp);
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/**
 * Creates `path` atomically and only if it does not exist: the complete temp file is hard-linked into place,
 * which fails with EEXIST (thrown as is) when another writer, in any process, got there first.
 */
export function createFileAtomically(path: string, data: Uint8Array): void {
  const temp = writeTemp(path, data);
  try {
    linkSync(temp, path);
  } finally {
    unlinkQuietly(temp);
  }
  fsyncDirectory(dirname(path));
}

export function removeFile(path: string): void {
  unlinkSync(path);
  fsyncDirectory(dirname(path));
}
