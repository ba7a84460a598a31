import {
  formatInstant,
  type IndexEntry,
  isPlainObject,
  isStoreError,
  parseInstant,
  StoreConflictError,
  StoreIntegrityError,
} from "@truthound/store-core";
import type { BlobStorage } from "./blob-storage.js";

/** One usable entry of Truthound-py's `_index.json`. */
export interface PythonIndexRecord {
  entry: IndexEntry;
  /** The object key Truthound-py recorded for the document. */
  key: string;
}

export interface PythonIndexState {
  /** Etag of the object this state was read from; undefined when there was no index object. */
  etag: string | undefined;
  /** The whole object, so a rewrite keeps what we do not understand. */
  raw: Record<string, unknown>;
  records: Map<string, PythonIndexRecord>;
}

/** Parses `{run_id: {data_asset, run_time, status, key, tags}}`; unusable entries are left out of `records`. */
export function parsePythonIndex(bytes: Uint8Array, etag: string | undefined): PythonIndexState {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new StoreIntegrityError("_index.json is not valid JSON; call rebuildIndex() to rebuild it", {
      cause,
    });
  }
  if (!isPlainObject(raw)) {
    throw new StoreIntegrityError("_index.json is not a JSON object; call rebuildIndex() to rebuild it");
  }
  const records = new Map<string, PythonIndexRecord>();
  for (const [id, value] of Object.entries(raw)) {
    const record = recordOf(id, value);
    if (record !== undefined) records.set(id, record);
  }
  return { etag, raw, records };
}

function recordOf(id: string, value: unknown): PythonIndexRecord | undefined {
  if (!isPlainObject(value)) return undefined;
  const { data_asset, run_time, status, key, tags } = value as Record<string, unknown>;
  if (typeof data_asset !== "string" || typeof run_time !== "string" || typeof status !== "string")
    return undefined;
  if (typeof key !== "string") return undefined;
  const tagMap: Record<string, string> = {};
  if (isPlainObject(tags)) {
    for (const [k, v] of Object.entries(tags)) if (typeof v === "string") tagMap[k] = v;
  }
  let runTimeMs: number;
  try {
    runTimeMs = parseInstant(run_time).ms;
  } catch {
    return undefined;
  }
  return { entry: { id, dataAsset: data_asset, runTimeMs, status, tags: tagMap }, key };
}

/**
 * An entry as Truthound-py writes it. `run_time` is a *naive* UTC time: Truthound-py compares index times with
 * naive query bounds, and its sort raises on a mix of naive and aware times.
 */
export function pythonIndexValue(entry: IndexEntry, key: string): Record<string, unknown> {
  const aware = formatInstant({ ms: entry.runTimeMs, micros: 0 });
  return {
    data_asset: entry.dataAsset,
    run_time: aware.replace(/\+00:00$/, ""),
    status: entry.status,
    key,
    tags: { ...entry.tags },
  };
}

const MAX_ATTEMPTS = 200;

/**
 * Truthound-py's `_index.json`, kept correct under concurrent writers: every change reads it with its etag,
 * applies the change, and writes it back with `ifMatch` (or `ifNoneMatch: "*"` when absent), retrying on
 * `CONFLICT`. Reads reuse the last state while the object's etag is unchanged.
 */
export class PythonIndexFile {
  #cached: PythonIndexState | undefined;

  constructor(
    private readonly storage: BlobStorage,
    readonly key: string,
  ) {}

  async load(signal: AbortSignal | undefined): Promise<PythonIndexState> {
    const head = await this.storage.head(this.key, signal);
    if (head === undefined) return this.#remember({ etag: undefined, raw: {}, records: new Map() });
    if (this.#cached?.etag === head.etag) return this.#cached;
    return this.#fetch(signal);
  }

  async #fetch(signal: AbortSignal | undefined): Promise<PythonIndexState> {
    try {
      const body = await this.storage.get(this.key, signal);
      return this.#remember(parsePythonIndex(body.bytes, body.etag));
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND"))
        return this.#remember({ etag: undefined, raw: {}, records: new Map() });
      throw error;
    }
  }

  #remember(state: PythonIndexState): PythonIndexState {
    this.#cached = state;
    return state;
  }

  /**
   * Applies `change` to a copy of the raw index and writes it conditionally; `change` returns false when it
   * changed nothing (no write). Runs `change` again on a fresh copy after every lost race.
   */
  async update(
    change: (raw: Record<string, unknown>) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let state = this.#cached ?? (await this.load(signal));
    for (let attempt = 1; ; attempt++) {
      const raw = { ...state.raw };
      if (!change(raw)) return;
      const bytes = new Uint8Array(Buffer.from(JSON.stringify(raw, null, 2), "utf8"));
      try {
        const { etag } = await this.storage.put(this.key, bytes, {
          kind: "index",
          contentType: "application/json",
          ...(state.etag === undefined ? { ifNoneMatch: "*" as const } : { ifMatch: state.etag }),
          signal,
        });
        this.#remember(parsePythonIndex(bytes, etag));
        return;
      } catch (error) {
        if (!isStoreError(error, "CONFLICT")) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new StoreConflictError(`_index.json changed under us ${MAX_ATTEMPTS} times in a row`, {
            retryable: true,
            cause: error,
          });
        }
        await backoff(attempt, signal);
        state = await this.#fetch(signal);
      }
    }
  }
}

/** Jittered, growing pause between conditional-write attempts. */
export function backoff(attempt: number, signal: AbortSignal | undefined): Promise<void> {
  const ceiling = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
  const ms = Math.random() * ceiling;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
