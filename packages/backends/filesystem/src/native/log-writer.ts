import { closeSync, fdatasync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoalescedSync } from "../io/coalesced-sync.js";
import { fsError } from "../io/fs-errors.js";
import { currentProcess, randomToken } from "../io/process-identity.js";
import { headerOf, type LogRecord } from "./records.js";

const datasync = promisify(fdatasync);

/** A log rotates once it grows past this; the sealed one is absorbed and removed by compaction. */
const ROTATE_BYTES = 16 * 1024 * 1024;

export const LOG_SUFFIX = ".log";

/** One log file of this writer. */
export class LogSegment {
  readonly #sync: CoalescedSync;
  closed = false;

  constructor(
    readonly name: string,
    readonly fd: number,
    public bytes: number,
    durable: boolean,
  ) {
    this.#sync = new CoalescedSync(durable ? () => datasync(this.fd) : () => Promise.resolve());
  }

  /** Makes every record appended so far durable. */
  sync(): Promise<void> {
    return this.#sync.run();
  }
}

/**
 * This store instance's own append-only log. Every line is written with one `write()` on an `O_APPEND`
 * descriptor, so lines from concurrent writers never interleave and a crash leaves at most one torn last line.
 * Writes are synchronous: they are short, and doing them in order keeps `bytes` on a line boundary.
 */
export class LogWriter {
  #segment: LogSegment | undefined;
  #sequence = 0;
  readonly #retired: LogSegment[] = [];

  constructor(
    readonly directory: string,
    readonly durable: boolean,
  ) {}

  get segment(): LogSegment | undefined {
    return this.#segment;
  }

  nextSequence(): number {
    return ++this.#sequence;
  }

  /** Appends one record; returns the segment it went to, with its new end offset. */
  append(record: LogRecord): { segment: LogSegment; end: number } {
    let segment = this.#segment ?? this.#open();
    if (segment.bytes >= ROTATE_BYTES) {
      this.#write(segment, { k: "z" });
      this.#retire(segment);
      segment = this.#open();
    }
    this.#write(segment, record);
    return { segment, end: segment.bytes };
  }

  #open(): LogSegment {
    const name = `${currentProcess.pid}-${Date.now().toString(36)}-${randomToken()}${LOG_SUFFIX}`;
    let fd: number;
    try {
      fd = openSync(join(this.directory, name), "ax");
    } catch (error) {
      throw fsError(error, "WRITE", `Cannot create index log in ${this.directory}`);
    }
    const segment = new LogSegment(name, fd, 0, this.durable);
    this.#segment = segment;
    this.#write(segment, headerOf(currentProcess));
    return segment;
  }

  #write(segment: LogSegment, record: LogRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    let written: number;
    try {
      written = writeSync(segment.fd, line);
    } catch (error) {
      throw fsError(error, "WRITE", `Cannot append to index log ${segment.name}`);
    }
    segment.bytes += written;
    if (written !== line.length) {
      throw fsError(
        new Error(`short write (${written} of ${line.length} bytes)`),
        "WRITE",
        "Index log append failed",
      );
    }
  }

  #retire(segment: LogSegment): void {
    this.#retired.push(segment);
    const close = () => this.#closeRetired(segment);
    // Only the seal line depends on this sync; every save already awaited the sync of its own records.
    segment.sync().then(close, close);
  }

  #closeRetired(segment: LogSegment): void {
    const index = this.#retired.indexOf(segment);
    if (index === -1) return;
    this.#retired.splice(index, 1);
    segment.closed = true;
    closeSync(segment.fd);
  }

  /** Seals the log (it will never grow again) and closes it. */
  async close(): Promise<void> {
    const segment = this.#segment;
    this.#segment = undefined;
    if (segment !== undefined) {
      this.#write(segment, { k: "z" });
      await segment.sync();
      segment.closed = true;
      closeSync(segment.fd);
    }
    for (const retired of [...this.#retired]) {
      await retired.sync();
      this.#closeRetired(retired);
    }
  }
}
