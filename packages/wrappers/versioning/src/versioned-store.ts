import {
  type BatchOutcome,
  InvalidArgumentError,
  type ItemAdapter,
  type ItemWithEtag,
  type IterQueryOptions,
  isStoreError,
  type OperationOptions,
  type Page,
  type SaveOptions,
  type SaveResult,
  type Store,
  type StoreCapabilities,
  StoreClosedError,
  StoreConflictError,
  StoreError,
  StoreNotFoundError,
  type StoreQuery,
  settleEach,
  UnsupportedOperationError,
  type ValidationResult,
  validateId,
} from "@truthound/store-core";
import { type CachedHead, type Coordination, coordinationFor } from "./coordination.js";
import { diffDocuments, summarize, type VersionChange } from "./diff.js";
import { VersionConflictError } from "./errors.js";
import { contentHashOf, digestHex } from "./hashing.js";
import { branchConflict, type HeadState, History } from "./history.js";
import {
  type ResolvedVersioningOptions,
  resolveVersioningOptions,
  type VersionedStoreOptions,
} from "./options.js";
import { fieldsOf, type HeadRecord, type VersionFields, type VersionRecord } from "./records.js";
import { nextLabel, type SemanticBump } from "./strategies.js";

export const MAIN_BRANCH = "main";
const BRANCH_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const BUMPS: readonly SemanticBump[] = ["major", "minor", "patch"];

/** A version as the history reports it. */
export interface VersionInfo extends VersionFields {
  /** It is the latest version of its branch. */
  isLatest: boolean;
  /** It is the latest version and the item was deleted from the current store afterwards. */
  deleted: boolean;
}

/** A label (`"v3"`, `"1.2.0"`, ...) or a version number (1, 2, 3...). */
export type VersionRef = string | number;

export interface VersionedSaveOptions extends SaveOptions {
  message?: string;
  /** Commit only if the branch's latest version is this one (`null`: only if the item has no version yet). */
  expectedVersion?: VersionRef | null;
  /** Default `main`; other branches must exist (`createBranch`). Only `main` is the current store's content. */
  branch?: string;
  /** SEMANTIC mode: which part to bump. Default `patch`. */
  bump?: SemanticBump;
  createdBy?: string;
  metadata?: Record<string, unknown>;
}

export interface BranchOption {
  branch?: string;
}

export interface HistoryOptions extends BranchOption {
  /** Newest first, at most this many. */
  limit?: number;
}

export interface RollbackOptions extends BranchOption {
  message?: string;
  expectedVersion?: VersionRef | null;
  createdBy?: string;
}

export interface CreateBranchOptions {
  /** Branch to fork. Default `main`. */
  fromBranch?: string;
  /** Version of `fromBranch` to fork. Default its latest. */
  fromVersion?: VersionRef;
  message?: string;
}

export interface BranchInfo {
  itemId: string;
  name: string;
  forkedFrom?: { branch: string; version: string; number: number };
  latest: VersionInfo;
}

export interface MergeOptions {
  /** Branch whose latest version is merged. */
  source: string;
  /** Branch that gets the merge version. Default `main`. */
  target?: string;
  /** The explicit choice: the merge version's content is the source's latest or the target's latest. */
  take: "source" | "target";
  message?: string;
  expectedVersion?: VersionRef | null;
  createdBy?: string;
}

export interface VersionDiff {
  itemId: string;
  branch: string;
  versionA: string;
  versionB: string;
  changes: VersionChange[];
  /** `"{added} added, {removed} removed, {modified} modified"`. */
  summary: string;
}

/** How `save` conditions (`expectedVersion`, `ifMatch`, `ifNoneMatch`) are made atomic. */
export type LockScope = "store" | "process";

interface Content {
  /** The document's JSON text, as stored in the history. */
  text: string;
  contentHash: string;
}

interface CommitRequest {
  itemId: string;
  branch: string;
  content: Content;
  item: unknown;
  options: VersionedSaveOptions;
  extra: Partial<Pick<VersionFields, "rollbackFrom" | "mergedFrom">>;
}

const SAVE_OPTION_KEYS = new Set([
  "signal",
  "timeoutMs",
  "ifMatch",
  "ifNoneMatch",
  "message",
  "expectedVersion",
  "branch",
  "bump",
  "createdBy",
  "metadata",
]);

function etagOf(head: HeadRecord): string {
  return `n${head.number}`;
}

function infoOf(fields: VersionFields, isLatest: boolean, deleted: boolean): VersionInfo {
  return { ...fieldsOf({ kind: "version", ...fields }), isLatest, deleted };
}

function matchesRef(fields: VersionFields, ref: VersionRef): boolean {
  return typeof ref === "number" ? fields.number === ref : fields.version === ref;
}

/**
 * Keeps every version of every item in a history store and the latest one in the wrapped store, so all `Store`
 * operations (queries, counts, listings) are the wrapped store's own. Each save is committed by one conditional
 * write of the branch head in the history store; the wrapped store is then brought up to date.
 */
export class VersionedStore<T = ValidationResult> implements Store<T> {
  readonly backend: string;
  readonly capabilities: StoreCapabilities;
  /** `store`: conditions hold across processes (the history store's conditional writes); `process`: within this instance only. */
  readonly lockScope: LockScope;
  readonly #base: Store<T>;
  readonly #history: History;
  readonly #o: ResolvedVersioningOptions<T>;
  readonly #adapter: ItemAdapter<T>;
  /** Shared by every VersionedStore over the same history store object in this process. */
  readonly #coordination: Coordination;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(base: Store<T>, options: VersionedStoreOptions<NoInfer<T>>) {
    this.#o = resolveVersioningOptions(base, options);
    this.#base = base;
    this.#adapter = this.#o.adapter;
    this.#history = new History(this.#o.historyStore);
    this.#coordination = coordinationFor(this.#o.historyStore);
    const history = this.#o.historyStore.capabilities;
    this.lockScope = history.conditionalWrites ? "store" : "process";
    this.backend = `versioned(${base.backend})`;
    this.capabilities = {
      ...base.capabilities,
      conditionalWrites: true,
      nativeVersions: true,
      persistent: base.capabilities.persistent && history.persistent,
      multiProcess: base.capabilities.multiProcess && history.multiProcess && history.conditionalWrites,
    };
  }

  /** The store holding the current versions. */
  get inner(): Store<T> {
    return this.#base;
  }

  #open(): void {
    if (this.#closed)
      throw new StoreClosedError(`${this.backend} store is closed`, { backend: this.backend });
  }

  async initialize(options?: OperationOptions): Promise<void> {
    this.#open();
    await Promise.all([this.#base.initialize(options), this.#o.historyStore.initialize(options)]);
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#closing;
    this.#closed = true;
    this.#closing = this.#o.closeInnerStores
      ? Promise.all([this.#base.close(), this.#o.historyStore.close()]).then(() => undefined)
      : Promise.resolve();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- Store: writes go through the history ------------------------------------------------------------------

  async save(item: T, options?: VersionedSaveOptions): Promise<string> {
    return (await this.saveVersion(item, options)).itemId;
  }

  async saveWithEtag(item: T, options?: VersionedSaveOptions): Promise<SaveResult> {
    const info = await this.saveVersion(item, options);
    return { id: info.itemId, etag: `n${info.number}` };
  }

  /** Saves `item` as a new version and returns it. */
  async saveVersion(item: T, options: VersionedSaveOptions = {}): Promise<VersionInfo> {
    this.#open();
    const o = this.#checkSaveOptions(options);
    const itemId = validateId(this.#adapter.idOf(item));
    const branch = this.#branch(o.branch);
    const head = await this.#commit({
      itemId,
      branch,
      content: this.#contentOf(this.#adapter.toDocument(item)),
      item,
      options: o,
      extra: {},
    });
    return infoOf(head, true, false);
  }

  async delete(id: string, options?: OperationOptions): Promise<boolean> {
    this.#open();
    validateId(id);
    const key = `${id}\u0000${MAIN_BRANCH}`;
    const deleted = await this.#coordination.mutex.run(key, async () => {
      for (let attempt = 0; attempt < this.#o.maxCommitAttempts; attempt++) {
        const current = await this.#history.readHead(id, MAIN_BRANCH);
        if (current === undefined || current.record.deleted) return this.#base.delete(id, options);
        const next: HeadRecord = { ...current.record, deleted: true };
        let etag: string;
        try {
          etag = await this.#history.writeHead(next, current, this.lockScope === "store");
        } catch (error) {
          if (!isStoreError(error, "CONFLICT")) throw error;
          continue;
        }
        const hint = this.#coordination.get(key);
        const previousArchived = hint?.state.record.number === next.number && hint.previousArchived;
        this.#coordination.remember(key, { state: { record: next, etag }, previousArchived });
        await this.#materialize(id, next);
        return true;
      }
      throw new StoreConflictError(`Could not delete ${id}: other writers kept committing`, { id });
    });
    return deleted;
  }

  async clear(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    this.#open();
    const ids = await this.#base.listIds(query, options);
    let deleted = 0;
    for (const outcome of await this.deleteMany(ids, options)) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.value) deleted++;
    }
    return deleted;
  }

  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    return settleEach(
      items,
      (item) => this.#safeId(item),
      (item) => this.save(item, options),
    );
  }

  deleteMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<boolean>[]> {
    return settleEach(
      ids,
      (id) => id,
      (id) => this.delete(id, options),
    );
  }

  #safeId(item: T): string {
    try {
      return String(this.#adapter.idOf(item));
    } catch {
      return "";
    }
  }

  // ---- Store: reads are the wrapped store's --------------------------------------------------------------------

  async get(id: string, options?: OperationOptions): Promise<T> {
    this.#open();
    return this.#base.get(id, options);
  }

  /** The latest version with its etag (`n<number>`); an item saved before versioning has its store's etag as `b:<etag>`. */
  async getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>> {
    this.#open();
    validateId(id);
    const head = await this.#history.readHead(id, MAIN_BRANCH);
    if (head === undefined) {
      const found = await this.#base.getWithEtag(id, options);
      return { item: found.item, etag: `b:${found.etag}` };
    }
    if (head.record.deleted) throw new StoreNotFoundError(id, { itemType: this.#adapter.itemType });
    return { item: this.#adapter.fromDocument(JSON.parse(head.record.content)), etag: etagOf(head.record) };
  }

  async exists(id: string, options?: OperationOptions): Promise<boolean> {
    this.#open();
    return this.#base.exists(id, options);
  }

  async listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]> {
    this.#open();
    return this.#base.listIds(query, options);
  }

  async listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>> {
    this.#open();
    return this.#base.listIdsPage(query, options);
  }

  async query(query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    this.#open();
    return this.#base.query(query, options);
  }

  async queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    this.#open();
    return this.#base.queryPage(query, options);
  }

  async *iterQuery(query?: StoreQuery, options?: IterQueryOptions): AsyncIterable<T> {
    this.#open();
    yield* this.#base.iterQuery(query, options);
  }

  async count(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    this.#open();
    return this.#base.count(query, options);
  }

  async getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined> {
    this.#open();
    return this.#base.getLatest(dataAsset, options);
  }

  async getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    this.#open();
    return this.#base.getMany(ids, options);
  }

  // ---- Version API ---------------------------------------------------------------------------------------------

  /** Every kept version of a branch, oldest first; empty for an item that was never saved through versioning. */
  async listVersions(id: string, options: BranchOption = {}): Promise<VersionInfo[]> {
    this.#open();
    validateId(id);
    const branch = this.#branch(options.branch);
    const [head, records] = await Promise.all([
      this.#history.readHead(id, branch),
      this.#history.versionRecords(id, branch),
    ]);
    const versions = records
      .filter(
        (r) =>
          head === undefined || (r.number < head.record.number && this.#kept(r.number, head.record.number)),
      )
      .map((r) => infoOf(r, false, false));
    if (head !== undefined) versions.push(infoOf(head.record, true, head.record.deleted));
    return versions;
  }

  /** Newest first (the seeds' `get_history`). */
  async getVersionHistory(id: string, options: HistoryOptions = {}): Promise<VersionInfo[]> {
    const { limit, ...rest } = options;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
      throw new InvalidArgumentError("limit must be a non-negative integer");
    }
    const versions = (await this.listVersions(id, rest)).reverse();
    return limit === undefined ? versions : versions.slice(0, limit);
  }

  async getVersionInfo(id: string, version: VersionRef, options: BranchOption = {}): Promise<VersionInfo> {
    const found = await this.#find(id, version, this.#branch(options.branch));
    return infoOf(
      found.record,
      found.record.kind === "head",
      found.record.kind === "head" && found.record.deleted,
    );
  }

  /** The content of one version, verified against its hash and checksum. */
  async getVersion(id: string, version: VersionRef, options: BranchOption = {}): Promise<T> {
    const found = await this.#find(id, version, this.#branch(options.branch));
    return this.#adapter.fromDocument(await this.#history.content(found.record));
  }

  /** Changes from version `a` to version `b` (default: the latest) as RFC 6901 JSON-pointer paths. */
  async diff(id: string, a: VersionRef, b?: VersionRef, options: BranchOption = {}): Promise<VersionDiff> {
    const branch = this.#branch(options.branch);
    const [from, to] = await Promise.all([
      this.#find(id, a, branch),
      b === undefined ? this.#latest(id, branch) : this.#find(id, b, branch),
    ]);
    const [docA, docB] = await Promise.all([
      this.#history.content(from.record),
      this.#history.content(to.record),
    ]);
    const changes = diffDocuments(docA, docB);
    return {
      itemId: id,
      branch,
      versionA: from.record.version,
      versionB: to.record.version,
      changes,
      summary: summarize(changes),
    };
  }

  /** Saves the content of an earlier version as a new version and returns the new version. */
  async rollback(id: string, version: VersionRef, options: RollbackOptions = {}): Promise<VersionInfo> {
    this.#open();
    const branch = this.#branch(options.branch);
    const target = await this.#find(id, version, branch);
    const document = await this.#history.content(target.record);
    const head = await this.#commit({
      itemId: id,
      branch,
      content: this.#contentOf(document),
      item: this.#adapter.fromDocument(document),
      options: this.#checkSaveOptions({
        message: options.message ?? `Rollback to version ${target.record.version}`,
        expectedVersion: options.expectedVersion,
        createdBy: options.createdBy,
        branch,
      }),
      extra: { rollbackFrom: target.record.version },
    });
    return infoOf(head, true, false);
  }

  async createBranch(id: string, name: string, options: CreateBranchOptions = {}): Promise<BranchInfo> {
    this.#open();
    this.#requireBranching();
    validateId(id);
    const branch = this.#branch(name);
    if (branch === MAIN_BRANCH) throw branchConflict(id, branch);
    const fromBranch = this.#branch(options.fromBranch);
    const source =
      options.fromVersion === undefined
        ? await this.#latest(id, fromBranch)
        : await this.#find(id, options.fromVersion, fromBranch);
    const document = await this.#history.content(source.record);
    const head: HeadRecord = {
      ...fieldsOf(source.record),
      kind: "head",
      branch,
      createdAt: new Date(this.#o.clock.now()).toISOString(),
      message: options.message ?? `Branch ${branch} from ${fromBranch} ${source.record.version}`,
      content: JSON.stringify(document),
      deleted: false,
      forkedFrom: { branch: fromBranch, version: source.record.version, number: source.record.number },
    };
    if (this.#o.maxVersions > 0) head.retained = { [head.number]: head.contentHash };
    delete head.previous;
    try {
      await this.#coordination.mutex.run(`${id}\u0000${branch}`, async () => {
        const etag = await this.#history.writeHead(head, undefined, true);
        this.#coordination.remember(`${id}\u0000${branch}`, {
          state: { record: head, etag },
          previousArchived: true,
        });
      });
    } catch (error) {
      if (isStoreError(error, "CONFLICT")) throw branchConflict(id, branch);
      throw error;
    }
    return this.#branchInfo(head);
  }

  async listBranches(id: string): Promise<BranchInfo[]> {
    this.#open();
    validateId(id);
    return (await this.#history.heads(id)).map((head) => this.#branchInfo(head));
  }

  /** Removes a branch and its versions (not `main`). */
  async deleteBranch(id: string, name: string): Promise<boolean> {
    this.#open();
    this.#requireBranching();
    validateId(id);
    const branch = this.#branch(name);
    if (branch === MAIN_BRANCH) throw new InvalidArgumentError("The main branch cannot be deleted", { id });
    this.#coordination.forget(`${id}\u0000${branch}`);
    const existed = await this.#history.deleteHead(id, branch);
    const records = await this.#history.versionRecords(id, branch);
    await Promise.all(records.map((r) => this.#history.deleteRecord(id, branch, r.number)));
    const hashes = await this.#history.blobHashes(id, branch);
    await Promise.all(hashes.map((hash) => this.#history.deleteBlob(id, branch, hash)));
    return existed || records.length > 0;
  }

  /** Adds a merge version to `target` whose content is the one the caller chose. */
  async merge(id: string, options: MergeOptions): Promise<VersionInfo> {
    this.#open();
    this.#requireBranching();
    validateId(id);
    if (options.take !== "source" && options.take !== "target") {
      throw new InvalidArgumentError('merge: take must be "source" or "target"', { id });
    }
    const source = this.#branch(options.source);
    const target = this.#branch(options.target);
    if (source === target)
      throw new InvalidArgumentError("merge: source and target are the same branch", { id });
    const [from, into] = await Promise.all([this.#latest(id, source), this.#latest(id, target)]);
    const chosen = options.take === "source" ? from : into;
    const document = await this.#history.content(chosen.record);
    const head = await this.#commit({
      itemId: id,
      branch: target,
      content: this.#contentOf(document),
      item: this.#adapter.fromDocument(document),
      options: this.#checkSaveOptions({
        message:
          options.message ?? `Merge ${source} ${from.record.version} into ${target} (took ${options.take})`,
        expectedVersion: options.expectedVersion,
        createdBy: options.createdBy,
        branch: target,
      }),
      extra: { mergedFrom: { branch: source, version: from.record.version } },
    });
    return infoOf(head, true, false);
  }

  /** Removes versions beyond `maxVersions` (and content no kept version uses); returns how many were removed. */
  async pruneVersions(id: string, options: BranchOption = {}): Promise<number> {
    this.#open();
    validateId(id);
    const branch = this.#branch(options.branch);
    if (this.#o.maxVersions === 0) return 0;
    const head = await this.#history.readHead(id, branch);
    if (head === undefined) return 0;
    const oldest = head.record.number - this.#o.maxVersions + 1;
    const records = await this.#history.versionRecords(id, branch);
    const doomed = records.filter((r) => r.number < oldest);
    await Promise.all(doomed.map((r) => this.#history.deleteRecord(id, branch, r.number)));
    const keep = new Set([head.record.contentHash]);
    for (const r of records) if (r.number >= oldest) keep.add(r.contentHash);
    const hashes = await this.#history.blobHashes(id, branch);
    await Promise.all(
      hashes.filter((h) => !keep.has(h)).map((hash) => this.#history.deleteBlob(id, branch, hash)),
    );
    return doomed.length;
  }

  /** Writes the latest main version into the wrapped store (after a save failed between commit and write). */
  async repair(id: string): Promise<void> {
    this.#open();
    validateId(id);
    const head = await this.#history.readHead(id, MAIN_BRANCH);
    if (head === undefined) throw new StoreNotFoundError(id, { itemType: "version history" });
    await this.#materialize(id, head.record);
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  #requireBranching(): void {
    if (!this.#o.enableBranching) {
      throw new UnsupportedOperationError("Branches are disabled (enableBranching: false)", {
        backend: this.backend,
      });
    }
  }

  #branch(name: string | undefined): string {
    if (name === undefined) return MAIN_BRANCH;
    if (typeof name !== "string" || !BRANCH_NAME.test(name)) {
      throw new InvalidArgumentError(
        `Branch names are 1-64 letters, digits, '_', '.', '-', starting with a letter or digit: ${JSON.stringify(name)}`,
      );
    }
    if (name !== MAIN_BRANCH) this.#requireBranching();
    return name;
  }

  #checkSaveOptions(options: VersionedSaveOptions): VersionedSaveOptions {
    if (typeof options !== "object" || options === null)
      throw new InvalidArgumentError("options must be an object");
    for (const key of Object.keys(options)) {
      if (!SAVE_OPTION_KEYS.has(key)) throw new InvalidArgumentError(`Unknown save option '${key}'`);
    }
    const { message, expectedVersion, bump, createdBy, metadata, ifMatch, ifNoneMatch } = options;
    if (message !== undefined && typeof message !== "string")
      throw new InvalidArgumentError("message must be a string");
    if (this.#o.requireMessage && (message === undefined || message.trim() === "")) {
      throw new InvalidArgumentError("A commit message is required (requireMessage: true)");
    }
    if (
      expectedVersion !== undefined &&
      expectedVersion !== null &&
      typeof expectedVersion !== "string" &&
      !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 1)
    ) {
      throw new InvalidArgumentError("expectedVersion must be a version label, a version number or null");
    }
    if (bump !== undefined && !BUMPS.includes(bump)) {
      throw new InvalidArgumentError('bump must be "major", "minor" or "patch"');
    }
    if (bump !== undefined && this.#o.mode !== "SEMANTIC") {
      throw new InvalidArgumentError(`bump applies to SEMANTIC mode only (mode is ${this.#o.mode})`);
    }
    if (createdBy !== undefined && typeof createdBy !== "string") {
      throw new InvalidArgumentError("createdBy must be a string");
    }
    if (
      metadata !== undefined &&
      (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    ) {
      throw new InvalidArgumentError("metadata must be an object");
    }
    if (ifMatch !== undefined && ifNoneMatch !== undefined) {
      throw new InvalidArgumentError("ifMatch and ifNoneMatch cannot be combined");
    }
    if (ifNoneMatch !== undefined && ifNoneMatch !== "*")
      throw new InvalidArgumentError('ifNoneMatch only accepts "*"');
    if (ifMatch !== undefined && (typeof ifMatch !== "string" || ifMatch === "")) {
      throw new InvalidArgumentError("ifMatch must be a non-empty etag string");
    }
    return options;
  }

  #contentOf(document: Record<string, unknown>): Content {
    const text = JSON.stringify(document);
    return { text, contentHash: contentHashOf(text) };
  }

  async #latest(id: string, branch: string): Promise<{ record: HeadRecord }> {
    validateId(id);
    const head = await this.#history.readHead(id, branch);
    if (head === undefined) {
      throw new StoreNotFoundError(`${id}@${branch}`, { itemType: "version history" });
    }
    return head;
  }

  async #find(id: string, ref: VersionRef, branch: string): Promise<{ record: HeadRecord | VersionRecord }> {
    this.#open();
    validateId(id);
    if (typeof ref !== "string" && !(Number.isSafeInteger(ref) && ref >= 1)) {
      throw new InvalidArgumentError("version must be a label or a positive version number");
    }
    const head = await this.#history.readHead(id, branch);
    if (head !== undefined && matchesRef(head.record, ref)) return head;
    const record =
      typeof ref === "number"
        ? await this.#history.versionRecord(id, branch, ref)
        : await this.#history.versionRecordByLabel(id, branch, ref);
    const gone =
      record === undefined ||
      (head !== undefined &&
        (record.number >= head.record.number || !this.#kept(record.number, head.record.number)));
    if (gone) {
      throw new StoreNotFoundError(`${id}@${branch} version ${String(ref)}`, { itemType: "version" });
    }
    return { record: record as VersionRecord };
  }

  #checkConditions(
    request: CommitRequest,
    current: HeadState | undefined,
    baseEtag: string | undefined,
  ): void {
    const { itemId, options } = request;
    const live = current !== undefined && !current.record.deleted ? current.record : undefined;
    const actual = live?.version ?? null;
    const conflict = (expected: string | null) =>
      new VersionConflictError(itemId, expected, actual, this.backend);
    if (request.branch !== MAIN_BRANCH && current === undefined) {
      throw new StoreNotFoundError(`${itemId}@${request.branch}`, { itemType: "branch" });
    }
    if (options.ifNoneMatch === "*" && live !== undefined) throw conflict(null);
    if (options.ifMatch !== undefined) {
      if (options.ifMatch.startsWith("b:")) {
        if (current !== undefined || baseEtag !== options.ifMatch.slice(2)) throw conflict(options.ifMatch);
      } else if (live === undefined || etagOf(live) !== options.ifMatch) throw conflict(options.ifMatch);
    }
    const expected = options.expectedVersion;
    if (expected === null && live !== undefined) throw conflict(null);
    if (expected !== undefined && expected !== null && (live === undefined || !matchesRef(live, expected))) {
      throw conflict(String(expected));
    }
  }

  /** A version numbered `number` is still kept once version `latest` exists (without autoCleanup, until pruned). */
  #kept(number: number, latest: number): boolean {
    return this.#o.maxVersions === 0 || !this.#o.autoCleanup || number > latest - this.#o.maxVersions;
  }

  #nextHead(request: CommitRequest, current: HeadRecord | undefined): HeadRecord {
    const { options, content, branch } = request;
    const number = (current?.number ?? 0) + 1;
    const nowMs = this.#o.clock.now();
    const version = nextLabel({
      mode: this.#o.mode,
      number,
      previous: current?.version,
      branch,
      contentHash: content.contentHash,
      nowMs,
      bump: options.bump ?? "patch",
    });
    const algorithm = this.#o.checksumAlgorithm;
    const head: HeadRecord = {
      kind: "head",
      itemId: request.itemId,
      branch,
      number,
      version,
      createdAt: new Date(nowMs).toISOString(),
      metadata:
        options.metadata === undefined
          ? {}
          : (JSON.parse(JSON.stringify(options.metadata)) as Record<string, unknown>),
      checksum: algorithm === "sha256" ? content.contentHash : digestHex(algorithm, content.text),
      checksumAlgorithm: algorithm,
      contentHash: content.contentHash,
      sizeBytes: Buffer.byteLength(content.text, "utf8"),
      content: content.text,
      deleted: false,
      ...request.extra,
    };
    if (options.message !== undefined) head.message = options.message;
    if (options.createdBy !== undefined) head.createdBy = options.createdBy;
    if (current !== undefined) {
      head.parentVersion = current.version;
      if (this.#kept(current.number, number)) {
        head.previous = { fields: fieldsOf(current), content: current.content };
      }
    }
    if (current?.forkedFrom !== undefined) head.forkedFrom = current.forkedFrom;
    if (this.#o.maxVersions > 0 && this.#o.autoCleanup) {
      const retained: Record<string, string> = { ...(current?.retained ?? {}) };
      if (current !== undefined) retained[current.number] = current.contentHash;
      retained[number] = content.contentHash;
      for (const key of Object.keys(retained)) if (!this.#kept(Number(key), number)) delete retained[key];
      head.retained = retained;
    }
    return head;
  }

  /**
   * Commits one version: check the conditions on the head, make sure the version the head still carries is
   * archived, then write the new head with a conditional write while archiving the head it replaces. The head
   * this process last wrote is used as a hint; a stale hint fails the conditional write and is re-read. On the
   * main branch the wrapped store is updated before the item's lock is released.
   */
  async #commit(request: CommitRequest): Promise<HeadRecord> {
    const { itemId, branch, options } = request;
    const key = `${itemId}\u0000${branch}`;
    const conditional =
      options.ifMatch !== undefined ||
      options.ifNoneMatch !== undefined ||
      options.expectedVersion !== undefined;
    const atomic = this.lockScope === "store";
    const { head, previous } = await this.#coordination.mutex.run(key, async () => {
      let cached: CachedHead | undefined = this.#coordination.get(key);
      // A new item needs no read: with conditional writes, creating its head fails if it exists after all.
      const mayCreate = atomic && options.ifMatch === undefined && !options.expectedVersion;
      let current: HeadState | undefined;
      let fresh = false;
      if (cached !== undefined) current = cached.state;
      else if (!mayCreate) {
        current = await this.#history.readHead(itemId, branch);
        fresh = true;
      }
      for (let attempt = 0; attempt < this.#o.maxCommitAttempts; attempt++) {
        try {
          const baseEtag =
            options.ifMatch?.startsWith("b:") && current === undefined
              ? await this.#baseEtag(itemId)
              : undefined;
          this.#checkConditions(request, current, baseEtag);
        } catch (error) {
          // Checked against a hint: only a fresh head can refuse the save.
          if (fresh) throw error;
          current = await this.#history.readHead(itemId, branch);
          fresh = true;
          cached = undefined;
          continue;
        }
        const next = this.#nextHead(request, current?.record);
        const pending = current?.record.previous;
        if (
          pending !== undefined &&
          cached?.previousArchived !== true &&
          this.#kept(pending.fields.number, next.number)
        ) {
          if (!(await this.#history.hasVersionRecord(pending.fields))) await this.#history.archive(pending);
        }
        const replaced = current?.record;
        const archiving =
          replaced !== undefined && this.#kept(replaced.number, next.number)
            ? this.#history.archive({ fields: fieldsOf(replaced), content: replaced.content })
            : Promise.resolve();
        const [written, archived] = await Promise.allSettled([
          this.#history.writeHead(next, current, atomic),
          archiving,
        ]);
        if (written.status === "rejected") {
          if (!isStoreError(written.reason, "CONFLICT")) throw written.reason;
          current = await this.#history.readHead(itemId, branch);
          fresh = true;
          cached = undefined;
          continue;
        }
        // If archiving failed, the new head still carries that version; the next commit archives it.
        this.#coordination.remember(key, {
          state: { record: next, etag: written.value },
          previousArchived: archived.status === "fulfilled",
        });
        if (branch === MAIN_BRANCH) await this.#materialize(itemId, next, request.item as T);
        return { head: next, previous: replaced };
      }
      if (conditional) {
        const winner = await this.#history.readHead(itemId, branch);
        const expected = options.expectedVersion ?? options.ifMatch ?? null;
        throw new VersionConflictError(
          itemId,
          expected === null ? null : String(expected),
          winner?.record.deleted === false ? winner.record.version : null,
          this.backend,
        );
      }
      throw new StoreConflictError(
        `Could not save ${itemId}: other writers committed first ${this.#o.maxCommitAttempts} times`,
        { id: itemId, retryable: true },
      );
    });
    if (this.#o.autoCleanup && this.#o.maxVersions > 0) await this.#pruneAfterCommit(head, previous);
    return head;
  }

  async #baseEtag(itemId: string): Promise<string | undefined> {
    try {
      return (await this.#base.getWithEtag(itemId)).etag;
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return undefined;
      throw error;
    }
  }

  /**
   * Makes the wrapped store hold the latest main version. Runs under the item's lock, so writers in this process
   * reach the wrapped store in commit order. When other processes can write the history, a writer re-reads the
   * head after its write and writes again until what it wrote is the latest, so two commits that reach the wrapped
   * store in the opposite order still leave the latest one there.
   */
  async #materialize(itemId: string, head: HeadRecord, item?: T): Promise<void> {
    let expected = head;
    let toWrite = item;
    for (let attempt = 0; attempt < this.#o.maxCommitAttempts; attempt++) {
      if (expected.deleted) await this.#base.delete(itemId);
      else await this.#base.save(toWrite ?? this.#adapter.fromDocument(JSON.parse(expected.content)));
      if (!this.#o.historyStore.capabilities.multiProcess) return;
      const latest = await this.#history.readHead(itemId, MAIN_BRANCH);
      if (latest === undefined) return;
      if (latest.record.number === expected.number && latest.record.deleted === expected.deleted) return;
      expected = latest.record;
      toWrite = undefined;
    }
    throw new StoreError(
      `Version of ${itemId} is committed but the current store could not be brought up to date; call repair(id)`,
      { code: "WRITE", retryable: true, id: itemId, backend: this.backend },
    );
  }

  /** With `maxVersions`: drops the version that just fell out of the window and its content if no kept version uses it. */
  async #pruneAfterCommit(head: HeadRecord, previous: HeadRecord | undefined): Promise<void> {
    const dropped = head.number - this.#o.maxVersions;
    if (dropped < 1 || previous === undefined) return;
    await this.#history.deleteRecord(head.itemId, head.branch, dropped);
    const hash = previous.retained?.[dropped];
    if (hash === undefined) return;
    const kept = new Set(Object.values(head.retained ?? {}));
    if (!kept.has(hash)) await this.#history.deleteBlob(head.itemId, head.branch, hash);
  }

  #branchInfo(head: HeadRecord): BranchInfo {
    const info: BranchInfo = {
      itemId: head.itemId,
      name: head.branch,
      latest: infoOf(head, true, head.deleted),
    };
    if (head.forkedFrom !== undefined) info.forkedFrom = head.forkedFrom;
    return info;
  }
}
