import { createHash } from "node:crypto";
import { StoreConflictError, StoreError, StoreNotFoundError } from "@truthound/store-core";
import type {
  BlobBody,
  BlobDeleteOptions,
  BlobHead,
  BlobListPage,
  BlobListRequest,
  BlobPutOptions,
  BlobStorage,
  BlobWritten,
} from "../../src/index.js";

interface StoredBlob {
  bytes: Uint8Array;
  etag: string;
  metadata: Record<string, string>;
  kind: BlobPutOptions["kind"];
  contentEncoding: string | undefined;
}

export type Operation = "put" | "get" | "head" | "delete" | "list";

/** A fault: the next matching call throws instead of running (a crash or a network failure at that point). */
interface Fault {
  operation: Operation;
  matches: (key: string) => boolean;
  error: () => Error;
}

/**
 * Object storage in memory with S3's semantics: MD5 etags, conditional puts, keys listed in byte order,
 * 3-key pages (so pagination is always exercised), and call counters and fault injection for tests.
 */
export class MemoryBlobStorage implements BlobStorage {
  readonly backend = "memory-blob";
  readonly conditionalDelete = true;
  readonly #bucket: { objects: Map<string, StoredBlob>; version: number };
  readonly calls: Array<{ operation: Operation; key: string }> = [];
  readonly #faults: Fault[] = [];
  pageSize = 3;

  constructor(shared?: { objects: Map<string, StoredBlob>; version: number }) {
    this.#bucket = shared ?? { objects: new Map(), version: 0 };
  }

  get objects(): Map<string, StoredBlob> {
    return this.#bucket.objects;
  }

  /** Another client of the same bucket. */
  sibling(): MemoryBlobStorage {
    return new MemoryBlobStorage(this.#bucket);
  }

  failNext(operation: Operation, matches: (key: string) => boolean, message = "injected crash"): void {
    this.#faults.push({ operation, matches, error: () => new Error(message) });
  }

  countCalls(operation: Operation, matches: (key: string) => boolean = () => true): number {
    return this.calls.filter((c) => c.operation === operation && matches(c.key)).length;
  }

  #enter(operation: Operation, key: string): void {
    this.calls.push({ operation, key });
    const index = this.#faults.findIndex((f) => f.operation === operation && f.matches(key));
    if (index >= 0) {
      const [fault] = this.#faults.splice(index, 1);
      throw (fault as Fault).error();
    }
  }

  async ensureReady(): Promise<void> {}

  async put(key: string, bytes: Uint8Array, options: BlobPutOptions): Promise<BlobWritten> {
    await Promise.resolve();
    this.#enter("put", key);
    const existing = this.objects.get(key);
    if (options.ifNoneMatch === "*" && existing !== undefined) throw new StoreConflictError(`exists: ${key}`);
    if (options.ifMatch !== undefined && existing?.etag !== options.ifMatch) {
      throw new StoreConflictError(`etag mismatch: ${key}`);
    }
    for (const [k, v] of Object.entries(options.metadata ?? {})) {
      if (!/^[a-z0-9_]+$/.test(k) || !/^[\x20-\x7e]*$/.test(v))
        throw new StoreError(`bad metadata ${k}`, { code: "WRITE" });
    }
    const etag = `"${createHash("md5").update(bytes).digest("hex")}"`;
    if (!this.objects.has(key)) this.#bucket.version++;
    this.objects.set(key, {
      bytes: new Uint8Array(bytes),
      etag,
      metadata: { ...(options.metadata ?? {}) },
      kind: options.kind,
      contentEncoding: options.contentEncoding,
    });
    return { etag };
  }

  async get(key: string): Promise<BlobBody> {
    await Promise.resolve();
    this.#enter("get", key);
    const blob = this.objects.get(key);
    if (blob === undefined) throw new StoreNotFoundError(key, { itemType: "object" });
    return {
      bytes: new Uint8Array(blob.bytes),
      etag: blob.etag,
      size: blob.bytes.length,
      metadata: { ...blob.metadata },
    };
  }

  async head(key: string): Promise<BlobHead | undefined> {
    await Promise.resolve();
    this.#enter("head", key);
    const blob = this.objects.get(key);
    return blob === undefined
      ? undefined
      : { etag: blob.etag, size: blob.bytes.length, metadata: { ...blob.metadata } };
  }

  async delete(key: string, options: BlobDeleteOptions): Promise<void> {
    await Promise.resolve();
    this.#enter("delete", key);
    const blob = this.objects.get(key);
    if (options.ifMatch !== undefined && blob !== undefined && blob.etag !== options.ifMatch) {
      throw new StoreConflictError(`etag mismatch on delete: ${key}`);
    }
    if (this.objects.delete(key)) this.#bucket.version++;
  }

  async list(request: BlobListRequest): Promise<BlobListPage> {
    await Promise.resolve();
    this.#enter("list", request.prefix);
    const after = request.continuation ?? request.startAfter;
    const afterBytes = after === undefined ? undefined : Buffer.from(after);
    const keys = this.#sortedKeys().filter(
      (k) =>
        k.startsWith(request.prefix) &&
        (afterBytes === undefined || Buffer.compare(Buffer.from(k), afterBytes) > 0),
    );
    const items: BlobListPage["items"] = [];
    const prefixes: string[] = [];
    let last: string | undefined;
    for (const key of keys) {
      if (items.length + prefixes.length >= this.pageSize) return { items, prefixes, next: last };
      const rest = key.slice(request.prefix.length);
      const cut = request.delimiter === undefined ? -1 : rest.indexOf(request.delimiter);
      if (cut >= 0) {
        const prefix = request.prefix + rest.slice(0, cut + 1);
        if (prefixes.at(-1) !== prefix) prefixes.push(prefix);
        // Continue after every key of this common prefix.
        last = `${prefix}\u{10ffff}`;
        continue;
      }
      items.push({ key, etag: this.objects.get(key)?.etag });
      last = key;
    }
    return { items, prefixes, next: undefined };
  }

  #sorted: { version: number; keys: string[] } | undefined;

  /** Keys in UTF-8 byte order, re-sorted only after a change. */
  #sortedKeys(): string[] {
    if (this.#sorted?.version !== this.#bucket.version) {
      const keys = [...this.objects.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      this.#sorted = { version: this.#bucket.version, keys };
    }
    return this.#sorted.keys;
  }

  async close(): Promise<void> {}
}
