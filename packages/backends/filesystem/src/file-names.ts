import { createHash } from "node:crypto";
import { encodeIdSegment } from "@truthound/store-core";

/** Longest file name we create, in bytes; most filesystems allow 255. */
export const MAX_NAME_BYTES = 200;

/**
 * Prefix of hashed names. `encodeIdSegment` only emits `%` followed by two upper-case hex digits, so a name
 * starting with `%h` can never be the encoding of an id.
 */
export const HASHED_PREFIX = "%h-";

/**
 * Ids usable verbatim as a file stem: no separators, no `%` (which encoded names use), not hidden or `_`.
 * Control characters never get here: `validateId` rejects them.
 */
const RAW_SAFE = /^(?![._])[^/\\%]+$/u;

/** How document file names are derived from ids and the configured extension. */
export class FileNaming {
  constructor(
    /** Extension of documents written now, e.g. ".json" or ".json.gz". */
    readonly extension: string,
    /** Extensions documents may have been written with under other settings, tried when reading. */
    readonly alternateExtensions: readonly string[],
    /**
     * Use the id itself as the stem when it is a safe single file name (Truthound-py names files by the raw
     * run id). Ids with `/`, `\\`, `%`, a leading `.` or `_` are still encoded, so names never collide.
     */
    readonly rawIds = false,
  ) {}

  /** The stem of an id: its encoding, or a hash when the encoding would make a too-long file name. */
  stemOf(id: string): string {
    if (
      this.rawIds &&
      RAW_SAFE.test(id) &&
      Buffer.byteLength(id) + this.#longestExtension() <= MAX_NAME_BYTES
    ) {
      return id;
    }
    const encoded = encodeIdSegment(id);
    if (Buffer.byteLength(encoded) + this.#longestExtension() <= MAX_NAME_BYTES) return encoded;
    return hashedStem(id);
  }

  /** Whether `stem` names `id`, under any extension length (encoded or hashed). */
  isStemOf(stem: string, id: string): boolean {
    return (
      stem === encodeIdSegment(id) ||
      stem === hashedStem(id) ||
      (this.rawIds && stem === id && RAW_SAFE.test(id))
    );
  }

  nameOf(id: string): string {
    return this.stemOf(id) + this.extension;
  }

  /** Every name a document for `id` may have: the current one first. */
  candidatesOf(id: string): string[] {
    const stem = this.stemOf(id);
    return [this.extension, ...this.alternateExtensions].map((ext) => stem + ext);
  }

  /** The stem of a document file name, or undefined if the name has none of our extensions. */
  stemOfName(name: string): string | undefined {
    for (const ext of [this.extension, ...this.alternateExtensions]) {
      if (name.endsWith(ext) && name.length > ext.length) return name.slice(0, -ext.length);
    }
    return undefined;
  }

  #longestExtension(): number {
    return Math.max(...[this.extension, ...this.alternateExtensions].map((e) => Buffer.byteLength(e)));
  }
}

/** A file name from an index written by someone else is only followed if it stays inside the directory. */
export function isPlainFileName(name: unknown): name is string {
  return (
    typeof name === "string" &&
    name.length > 0 &&
    Buffer.byteLength(name) <= 255 &&
    name !== "." &&
    name !== ".." &&
    !name.includes("\0") &&
    !/[/\\]/.test(name)
  );
}

function hashedStem(id: string): string {
  return `${HASHED_PREFIX}${createHash("sha256").update(id, "utf8").digest("hex")}`;
}
