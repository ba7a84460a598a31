import { createHash } from "node:crypto";
import { encodeIdSegment, StoreConfigurationError } from "@truthound/store-core";

/** Longest key segment we create, in bytes: below the 255-byte name limit of filesystem-backed servers (MinIO). */
export const MAX_SEGMENT_BYTES = 200;

/** Prefix of hashed stems. `encodeIdSegment` emits `%` only before two upper-case hex digits, so no id encodes to this. */
export const HASHED_STEM_PREFIX = "%h-";

/** How a document's bytes are framed, and the extension that says so. */
export type DocumentFormat = "json" | "gzip" | "codec";

export const EXTENSIONS: Readonly<Record<DocumentFormat, string>> = {
  json: ".json",
  gzip: ".json.gz",
  codec: ".json.trth",
};

/** Ids Truthound-py can address: used verbatim as the stem in the python layout, as Truthound-py does. */
const RAW_SAFE = /^(?![._])[^/\\%]+$/u;

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/**
 * Validates a key prefix: empty, or `/`-separated segments of `[A-Za-z0-9_.-]` (no `.`/`..` segments), with
 * an optional trailing `/`.
 */
export function checkPrefix(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  const trimmed = value.replace(/\/$/, "");
  if (trimmed === "") return undefined;
  if (Buffer.byteLength(trimmed) > 256) return "must be at most 256 bytes";
  for (const segment of trimmed.split("/")) {
    if (!/^[A-Za-z0-9_.-]+$/.test(segment) || segment === "." || segment === "..") {
      return `must be '/'-separated segments of letters, digits, '_', '.', '-' (got ${JSON.stringify(value)})`;
    }
  }
  return undefined;
}

/**
 * Where everything lives, Truthound-py's layout:
 * documents at `{prefix without trailing /}/{namespace}/results/{stem}{ext}`, its index at
 * `{prefix}/{namespace}/_index.json`, and our per-document index markers under `{prefix}/{namespace}/_index/v1/`.
 */
export class KeyLayout {
  readonly root: string;
  readonly documentsPrefix: string;
  readonly markersPrefix: string;
  readonly pythonIndexKey: string;

  constructor(
    prefix: string,
    namespace: string,
    /** Use Python-addressable ids verbatim as stems (python compatibility). */
    readonly rawIds: boolean,
  ) {
    const problem = checkPrefix(prefix);
    if (problem !== undefined) throw new StoreConfigurationError(`prefix ${problem}`);
    const parts = [prefix.replace(/\/+$/, ""), namespace].filter((p) => p !== "");
    this.root = `${parts.join("/")}/`;
    this.documentsPrefix = `${this.root}results/`;
    this.markersPrefix = `${this.root}_index/v1/`;
    this.pythonIndexKey = `${this.root}_index.json`;
  }

  /** The stem of an id: verbatim (python layout, when safe), encoded, or hashed when too long. */
  stemOf(id: string): string {
    const longest = Buffer.byteLength(EXTENSIONS.codec);
    if (this.rawIds && RAW_SAFE.test(id) && Buffer.byteLength(id) + longest <= MAX_SEGMENT_BYTES) return id;
    const encoded = encodeIdSegment(id);
    if (Buffer.byteLength(encoded) + longest <= MAX_SEGMENT_BYTES) return encoded;
    return `${HASHED_STEM_PREFIX}${sha256Hex(id)}`;
  }

  documentKey(id: string, format: DocumentFormat): string {
    return this.documentsPrefix + this.stemOf(id) + EXTENSIONS[format];
  }

  /** The format a document key's extension names, or undefined for keys that are not documents. */
  formatOfKey(key: string): DocumentFormat | undefined {
    if (!key.startsWith(this.documentsPrefix)) return undefined;
    const name = key.slice(this.documentsPrefix.length);
    if (name.includes("/")) return undefined;
    for (const format of ["gzip", "codec", "json"] as const) {
      const ext = EXTENSIONS[format];
      if (name.endsWith(ext) && name.length > ext.length) return format;
    }
    return undefined;
  }

  /** Whether `key` is where a document for `id` may be stored (any format). */
  isDocumentKeyOf(key: string, id: string): boolean {
    const format = this.formatOfKey(key);
    return format !== undefined && key === this.documentKey(id, format);
  }
}
