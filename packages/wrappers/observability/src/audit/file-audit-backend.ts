import { appendFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { StoreWriteError } from "@truthound/store-core";
import type { AuditEvent, AuditSink } from "./audit-event.js";

export interface FileAuditBackendOptions {
  filePath: string;
  maxFileBytes: number;
  maxFiles: number;
}

/**
 * JSON lines, appended in batches by one writer chain. Before a batch would take the file past
 * `maxFileBytes`, the file is rotated: `file` -> `file.1` -> ... -> `file.N` (the oldest is removed).
 * A failed write is kept and thrown by the next `flush()` or `close()`; the lines stay buffered for a retry.
 */
export class FileAuditBackend implements AuditSink {
  readonly #o: FileAuditBackendOptions;
  #buffer: string[] = [];
  #chain: Promise<void> = Promise.resolve();
  #size: number | undefined;
  #failure: Error | undefined;
  #scheduled = false;
  onError: ((error: Error) => void) | undefined;

  constructor(options: FileAuditBackendOptions) {
    this.#o = options;
  }

  write(event: AuditEvent): void {
    this.#buffer.push(`${JSON.stringify(event)}\n`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#drain().catch(() => undefined);
      });
    }
  }

  #drain(): Promise<void> {
    const run = this.#chain.then(() => this.#writeBuffered());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #writeBuffered(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const lines = this.#buffer;
    this.#buffer = [];
    try {
      await this.#appendRotating(lines);
      this.#failure = undefined;
    } catch (error) {
      this.#buffer = [...lines, ...this.#buffer];
      const failure = new StoreWriteError(`audit log: writing ${this.#o.filePath} failed`, { cause: error });
      this.#failure = failure;
      this.onError?.(failure);
      throw failure;
    }
  }

  async #appendRotating(lines: string[]): Promise<void> {
    if (this.#size === undefined) {
      await mkdir(dirname(this.#o.filePath), { recursive: true });
      this.#size = await stat(this.#o.filePath).then(
        (s) => s.size,
        () => 0,
      );
    }
    let chunk = "";
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.#size + chunkBytes + bytes > this.#o.maxFileBytes && this.#size + chunkBytes > 0) {
        if (chunk.length > 0) await appendFile(this.#o.filePath, chunk, { mode: 0o600 });
        chunk = "";
        chunkBytes = 0;
        await this.#rotate();
      }
      chunk += line;
      chunkBytes += bytes;
    }
    if (chunk.length > 0) await appendFile(this.#o.filePath, chunk, { mode: 0o600 });
    this.#size += chunkBytes;
  }

  async #rotate(): Promise<void> {
    const path = this.#o.filePath;
    await rm(`${path}.${this.#o.maxFiles}`, { force: true });
    for (let i = this.#o.maxFiles - 1; i >= 1; i--) {
      await rename(`${path}.${i}`, `${path}.${i + 1}`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
    await rename(path, `${path}.1`);
    this.#size = 0;
  }

  /** Writes everything buffered; throws the write failure, if any. */
  async flush(): Promise<void> {
    await this.#drain();
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
