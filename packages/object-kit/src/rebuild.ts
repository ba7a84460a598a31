import { type IndexEntry, isStoreError, settleEach } from "@truthound/store-core";
import { type BlobBody, type BlobStorage, listAll } from "./blob-storage.js";
import type { DocumentFormat, KeyLayout } from "./key-layout.js";
import { type MarkerIndex, tokenOfDocument } from "./marker-index.js";
import { type BuiltMarker, buildMarker, parseMarker } from "./marker-name.js";
import { type PythonIndexFile, pythonIndexValue } from "./python-index.js";

export interface RebuildReport {
  /** Documents indexed. */
  documents: number;
  /** Index objects written (markers) or entries in the rewritten `_index.json`. */
  written: number;
  /** Stale markers removed (native) or entries dropped from `_index.json` (python). */
  removed: number;
  /** Document keys that could not be indexed, with the reason (corrupt, or an id that does not match its key). */
  problems: Array<{ key: string; reason: string }>;
}

export interface RebuildDeps {
  storage: BlobStorage;
  layout: KeyLayout;
  preferredFormat: DocumentFormat;
  /** Decodes a document and returns its entry; throws when it is unreadable or not stored under its id's key. */
  decode(key: string, body: BlobBody): Promise<IndexEntry>;
}

interface ScannedDocument {
  key: string;
  format: DocumentFormat;
  entry: IndexEntry;
  body: BlobBody;
}

const CONCURRENCY = 8;

/** Reads every document under the documents prefix. */
async function scanDocuments(
  deps: RebuildDeps,
  signal: AbortSignal | undefined,
): Promise<{ documents: ScannedDocument[]; problems: RebuildReport["problems"] }> {
  const keys: Array<{ key: string; format: DocumentFormat }> = [];
  for await (const page of listAll(deps.storage, { prefix: deps.layout.documentsPrefix, signal })) {
    for (const item of page.items) {
      const format = deps.layout.formatOfKey(item.key);
      if (format !== undefined) keys.push({ key: item.key, format });
    }
  }
  const problems: RebuildReport["problems"] = [];
  const outcomes = await settleEach(
    keys,
    (k) => k.key,
    async ({ key, format }) => {
      const body = await deps.storage.get(key, signal);
      return { key, format, body, entry: await deps.decode(key, body) };
    },
    CONCURRENCY,
    "READ",
  );
  const documents: ScannedDocument[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) documents.push(outcome.value);
    else if (outcome.error.code === "NOT_FOUND") continue;
    else if (["SERIALIZATION", "INTEGRITY", "INVALID_ARGUMENT"].includes(outcome.error.code)) {
      problems.push({ key: outcome.id, reason: outcome.error.message });
    } else throw outcome.error;
  }
  return { documents, problems };
}

/**
 * Native: writes the marker every readable document should have and removes markers that no document carries
 * the token of. A marker written by a concurrent save is never removed: removal re-checks the document.
 */
export async function rebuildMarkers(
  deps: RebuildDeps,
  markers: MarkerIndex,
  signal: AbortSignal | undefined,
): Promise<RebuildReport> {
  const { documents, problems } = await scanDocuments(deps, signal);
  const expected = new Map<string, BuiltMarker>();
  for (const doc of documents) {
    const marker = buildMarker(doc.entry, tokenOfDocument(doc.body), doc.format);
    expected.set(marker.name, marker);
  }
  const existing = new Set<string>();
  for await (const page of listAll(deps.storage, { prefix: deps.layout.markersPrefix, signal })) {
    for (const item of page.items) existing.add(item.key.slice(deps.layout.markersPrefix.length));
  }
  const toWrite = [...expected.values()].filter((m) => !existing.has(m.name));
  const candidates = [...existing].filter((name) => !expected.has(name));
  const wrote = await settleEach(
    toWrite,
    (m) => m.name,
    (m) => markers.write(m, signal),
    CONCURRENCY,
  );
  const removed = await settleEach(
    candidates,
    (name) => name,
    async (name) => {
      if (!(await isStale(deps, name, signal))) return false;
      await markers.remove(name, signal);
      return true;
    },
    CONCURRENCY,
  );
  for (const outcome of [...wrote, ...removed]) if (!outcome.ok) throw outcome.error;
  return {
    documents: documents.length,
    written: toWrite.length,
    removed: removed.filter((o) => o.ok && o.value).length,
    problems,
  };
}

async function isStale(deps: RebuildDeps, name: string, signal: AbortSignal | undefined): Promise<boolean> {
  let marker: ReturnType<typeof parseMarker>;
  try {
    marker = parseMarker(name);
  } catch {
    // Not a name this version writes: nothing can ever read it as an index entry.
    return true;
  }
  let id = marker.entry?.id;
  if (id === undefined) {
    try {
      const body = await deps.storage.get(deps.layout.markersPrefix + name, signal);
      id = (JSON.parse(Buffer.from(body.bytes).toString("utf8")) as { id?: unknown }).id as
        | string
        | undefined;
    } catch (error) {
      if (isStoreError(error, "NOT_FOUND")) return false;
      if (error instanceof SyntaxError) return true;
      throw error;
    }
    if (typeof id !== "string") return true;
  }
  const head = await deps.storage.head(deps.layout.documentKey(id, marker.format), signal);
  return head === undefined || tokenOfDocument(head) !== marker.token;
}

/** Python: rewrites `_index.json` from the documents (conditionally, like every index change). */
export async function rebuildPythonIndex(
  deps: RebuildDeps,
  index: PythonIndexFile,
  signal: AbortSignal | undefined,
): Promise<RebuildReport> {
  const { documents, problems } = await scanDocuments(deps, signal);
  const byId = new Map<string, ScannedDocument>();
  for (const doc of documents) {
    const seen = byId.get(doc.entry.id);
    if (seen === undefined || doc.format === deps.preferredFormat) byId.set(doc.entry.id, doc);
  }
  let removed = 0;
  await index.update((raw) => {
    removed = Object.keys(raw).filter((id) => !byId.has(id)).length;
    for (const id of Object.keys(raw)) delete raw[id];
    for (const [id, doc] of byId) raw[id] = pythonIndexValue(doc.entry, doc.key);
    return true;
  }, signal);
  return { documents: documents.length, written: byId.size, removed, problems };
}
