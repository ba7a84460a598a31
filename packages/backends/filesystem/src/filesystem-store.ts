import { join, resolve } from "node:path";
import {
  BaseStore,
  type IndexEntry,
  type ItemAdapter,
  type ItemWithEtag,
  type NormalizedQuery,
  type OperationOptions,
  type StoreCapabilities,
  StoreIntegrityError,
  toStoreError,
  UnsupportedOperationError,
  type ValidationResult,
  validationResultAdapter,
  type WriteConditions,
} from "@truthound/store-core";
import { FileNaming } from "./file-names.js";
import { DocumentDirectory } from "./io/document-directory.js";
import { etagOf } from "./io/etag.js";
import { FileLock } from "./io/file-lock.js";
import { BACKEND } from "./io/fs-errors.js";
import {
  type EncodedDocument,
  type IndexStatus,
  type Layout,
  ProblemLog,
  type RebuildReport,
} from "./layout.js";
import { NativeLayout } from "./native/native-layout.js";
import { type FileSystemStoreOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { PythonLayout } from "./python/python-layout.js";

const CAPABILITIES: StoreCapabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
  persistent: true,
  multiProcess: true,
};

/** Extension suffix of codec-framed documents (they are not plain JSON). */
const FRAMED_SUFFIX = ".trth";

/**
 * Stores each document as a file, written crash-safely, with an index that stays correct when several
 * processes write the same directory. `layout: "python"` reads and writes Truthound-py's FileSystemStore layout.
 */
export class FileSystemStore<T = ValidationResult> extends BaseStore<T> {
  readonly backend = BACKEND;
  readonly capabilities = CAPABILITIES;
  /** The directory holding this store's documents: `{basePath}/{namespace}/{prefix}`. */
  readonly directory: string;
  readonly layout: "native" | "python";
  readonly #layout: Layout;
  readonly #lock: FileLock;

  constructor(options: FileSystemStoreOptions<T> = {}) {
    const o: ResolvedOptions<T> = resolveOptions(options);
    super({
      adapter: o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>),
      codecs: o.codecs,
      rawGzip: o.useCompression,
      prettyPrint: o.prettyPrint,
      clock: o.clock,
      operationTimeoutMs: o.operationTimeoutMs,
    });
    this.directory = resolve(join(o.basePath, o.namespace, o.prefix));
    this.layout = o.layout;
    const ext = o.fileExtension;
    const current = o.codecs.length > 0 ? ext + FRAMED_SUFFIX : o.useCompression ? `${ext}.gz` : ext;
    const naming = new FileNaming(
      current,
      [ext, `${ext}.gz`, ext + FRAMED_SUFFIX].filter((e) => e !== current),
      o.layout === "python",
    );
    const durable = o.durability === "fsync";
    const docs = new DocumentDirectory(this.directory, durable);
    const lock = new FileLock(o.lockTimeoutMs);
    this.#lock = lock;
    const problems = new ProblemLog();
    const decode = (bytes: Uint8Array) => this.#entryOf(bytes);
    const itemType = this.adapter.itemType;
    this.#layout =
      o.layout === "python"
        ? new PythonLayout({ docs, naming, lock, decode, problems, createDirs: o.createDirs, itemType })
        : new NativeLayout({
            docs,
            naming,
            lock,
            decode,
            problems,
            createDirs: o.createDirs,
            durable,
            itemType,
            now: () => Date.now(),
          });
  }

  async #entryOf(bytes: Uint8Array): Promise<IndexEntry> {
    return this.adapter.entryOf(await this.#decode(bytes, undefined));
  }

  async #decode(bytes: Uint8Array, id: string | undefined): Promise<T> {
    try {
      return await this.decodeItem(bytes, id);
    } catch (error) {
      throw toStoreError(error, "SERIALIZATION", `Stored ${this.adapter.itemType} cannot be decoded`, {
        backend: BACKEND,
        id,
      });
    }
  }

  protected doInitialize(signal: AbortSignal | undefined): Promise<void> {
    return this.#layout.initialize(signal);
  }

  protected async doClose(): Promise<void> {
    await this.#layout.close();
    await this.#lock.close();
  }

  protected async writeItem(
    item: T,
    entry: IndexEntry,
    conditions: WriteConditions,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    let encoding: Promise<EncodedDocument> | undefined;
    const encode = () => {
      encoding ??= this.#encode(item);
      return encoding;
    };
    await this.#layout.write({ id: entry.id, entry, conditions, encode }, signal);
    return (await encode()).etag;
  }

  async #encode(item: T): Promise<EncodedDocument> {
    const document = this.adapter.toDocument(item);
    const bytes = await this.serializer.serialize(document);
    const runTimeText = typeof document.run_time === "string" ? document.run_time : undefined;
    return { bytes, etag: etagOf(bytes), runTimeText };
  }

  protected async readItem(id: string): Promise<ItemWithEtag<T>> {
    const stored = await this.#layout.read(id);
    const item = await this.#decode(stored.bytes, id);
    if (stored.checkId && this.adapter.idOf(item) !== id) {
      throw new StoreIntegrityError(`${stored.file} does not hold ${JSON.stringify(id)}`, {
        backend: BACKEND,
        id,
      });
    }
    const bytes = stored.bytes;
    let etag: string | undefined;
    // Hashing is deferred: `get` never needs the etag, `getWithEtag` computes it once.
    return {
      item,
      get etag() {
        etag ??= etagOf(bytes);
        return etag;
      },
    };
  }

  protected removeItem(id: string, signal: AbortSignal | undefined): Promise<boolean> {
    return this.#layout.remove(id, signal);
  }

  protected hasItem(id: string): Promise<boolean> {
    return this.#layout.has(id);
  }

  protected scanEntries(query: NormalizedQuery): Promise<Iterable<IndexEntry>> {
    return this.#layout.entries(query);
  }

  /**
   * Rebuilds the index from the documents (reads every document). Use after copying documents in by hand,
   * after a corrupt index is reported, or after power loss with `durability: "none"`.
   */
  rebuildIndex(options?: OperationOptions): Promise<RebuildReport> {
    return this.run("rebuildIndex", "WRITE", options, (signal) => this.#layout.rebuild(signal));
  }

  /** Native layout: writes the index snapshot now and removes absorbed logs (this also happens on its own). */
  compact(options?: OperationOptions): Promise<void> {
    const layout = this.#layout;
    if (!(layout instanceof NativeLayout)) {
      return Promise.reject(
        new UnsupportedOperationError(
          "The python layout keeps a single _index.json; there is nothing to compact",
          {
            backend: BACKEND,
          },
        ),
      );
    }
    return this.run("compact", "WRITE", options, () => layout.compact());
  }

  /** What the index holds and any problems it worked around. */
  async indexStatus(options?: OperationOptions): Promise<IndexStatus> {
    return this.run("indexStatus", "READ", options, async () => this.#layout.status());
  }
}
