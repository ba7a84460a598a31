import type { StoreError } from "./errors.js";
import type { StoreQuery } from "./query/store-query.js";

/** What a backend does natively. Wrappers and the testkit branch on these, never on backend names. */
export interface StoreCapabilities {
  /** `ifMatch` / `ifNoneMatch` on save are enforced atomically. */
  conditionalWrites: boolean;
  /** Queries are answered by the backend or an index, without reading every document. */
  serverSideQuery: boolean;
  /** Items can expire on their own. */
  nativeTtl: boolean;
  /** The backend keeps versions of a document. */
  nativeVersions: boolean;
  /** Documents can be written and read as streams. */
  streaming: boolean;
  /** Data survives the process. */
  persistent: boolean;
  /** Several processes can share the same data safely. */
  multiProcess: boolean;
}

export interface OperationOptions {
  signal?: AbortSignal;
  /** Deadline for this call, overriding the store's `operationTimeoutMs`. */
  timeoutMs?: number;
}

export interface SaveOptions extends OperationOptions {
  /** Save only if the stored document still has this etag; otherwise `CONFLICT`. */
  ifMatch?: string;
  /** `"*"`: save only if no document has this id; otherwise `CONFLICT`. */
  ifNoneMatch?: "*";
}

export interface SaveResult {
  id: string;
  etag: string;
}

export interface ItemWithEtag<T> {
  item: T;
  etag: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; undefined on the last page. */
  nextCursor: string | undefined;
}

export type BatchOutcome<R> =
  | { id: string; ok: true; value: R }
  | { id: string; ok: false; error: StoreError };

export interface IterQueryOptions extends OperationOptions {
  batchSize?: number;
}

/** The contract every backend and every wrapper implements. */
export interface Store<T> extends AsyncDisposable {
  readonly backend: string;
  readonly capabilities: StoreCapabilities;
  initialize(options?: OperationOptions): Promise<void>;
  close(): Promise<void>;
  save(item: T, options?: SaveOptions): Promise<string>;
  saveWithEtag(item: T, options?: SaveOptions): Promise<SaveResult>;
  get(id: string, options?: OperationOptions): Promise<T>;
  getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>>;
  exists(id: string, options?: OperationOptions): Promise<boolean>;
  delete(id: string, options?: OperationOptions): Promise<boolean>;
  listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]>;
  listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>>;
  query(query?: StoreQuery, options?: OperationOptions): Promise<T[]>;
  queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>>;
  iterQuery(query?: StoreQuery, options?: IterQueryOptions): AsyncIterable<T>;
  count(query?: StoreQuery, options?: OperationOptions): Promise<number>;
  getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined>;
  clear(query?: StoreQuery, options?: OperationOptions): Promise<number>;
  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]>;
  getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]>;
  deleteMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<boolean>[]>;
}
