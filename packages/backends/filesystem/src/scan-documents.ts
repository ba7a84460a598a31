import { mkdir, readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type IndexEntry, StoreConfigurationError } from "@truthound/store-core";
import type { FileNaming } from "./file-names.js";
import { type DocumentDirectory, TEMP_PREFIX } from "./io/document-directory.js";
import { etagOf } from "./io/etag.js";
import { BACKEND, fsError, isNotFound } from "./io/fs-errors.js";
import { currentProcess, livenessOf } from "./io/process-identity.js";
import type { EntryDecoder, RebuildReport } from "./layout.js";

/** Temporary files are removed by a rebuild only when their writer is dead and they are this old. */
const TEMP_FILE_MAX_AGE_MS = 60 * 60_000;

/** Creates the store directory, or checks it exists when `createDirs` is false. */
export async function ensureDirectory(path: string, createDirs: boolean): Promise<void> {
  if (createDirs) {
    try {
      await mkdir(path, { recursive: true });
      return;
    } catch (error) {
      throw fsError(error, "CONNECTION", `Cannot create store directory ${path}`);
    }
  }
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    if (isNotFound(error)) {
      throw new StoreConfigurationError(`Store directory ${path} does not exist and createDirs is false`, {
        backend: BACKEND,
        details: { field: "createDirs" },
      });
    }
    throw fsError(error, "CONNECTION", `Cannot access store directory ${path}`);
  }
  if (!isDirectory) {
    throw new StoreConfigurationError(`Store path ${path} is not a directory`, {
      backend: BACKEND,
      details: { field: "basePath" },
    });
  }
}

export interface ScannedDocument {
  entry: IndexEntry;
  file: string;
  etag: string;
}

export interface DocumentScan {
  documents: Map<string, ScannedDocument>;
  skipped: RebuildReport["skipped"];
  removedTempFiles: number;
}

/**
 * Reads every document of the directory (what a rebuild needs, and nothing else does). `checkName` rejects a
 * file whose name does not belong to the id inside it. Files starting with `_` or `.` are bookkeeping.
 */
export async function scanDocuments(
  docs: DocumentDirectory,
  naming: FileNaming,
  decode: EntryDecoder,
  checkName: (file: string, entry: IndexEntry) => string | undefined,
): Promise<DocumentScan> {
  let names: string[];
  try {
    names = await readdir(docs.path);
  } catch (error) {
    throw fsError(error, "READ", `Cannot list ${docs.path}`);
  }
  const documents = new Map<string, ScannedDocument>();
  const skipped: RebuildReport["skipped"] = [];
  let removedTempFiles = 0;
  for (const file of names.sort()) {
    if (file.startsWith(TEMP_PREFIX)) {
      if (await removeIfAbandoned(join(docs.path, file))) removedTempFiles++;
      continue;
    }
    if (file.startsWith("_") || file.startsWith(".") || naming.stemOfName(file) === undefined) continue;
    const bytes = await docs.read(file);
    if (bytes === undefined) continue;
    let entry: IndexEntry;
    try {
      entry = await decode(bytes);
    } catch (error) {
      skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const wrongName = checkName(file, entry);
    if (wrongName !== undefined) {
      skipped.push({ file, reason: wrongName });
      continue;
    }
    const existing = documents.get(entry.id);
    if (existing !== undefined) {
      // The same id under two extensions (settings changed): the current extension wins.
      const keep = file === naming.nameOf(entry.id) ? file : existing.file;
      skipped.push({ file: keep === file ? existing.file : file, reason: `duplicate of ${keep}` });
      if (keep === existing.file) continue;
    }
    documents.set(entry.id, { entry, file, etag: etagOf(bytes) });
  }
  return { documents, skipped, removedTempFiles };
}

/** `_tmp-{pid}-...`: removed when that process is gone and the file is old. */
async function removeIfAbandoned(path: string): Promise<boolean> {
  const pid = Number(/^_tmp-(\d+)-/.exec(path.slice(path.lastIndexOf("/") + 1))?.[1]);
  if (!Number.isSafeInteger(pid)) return false;
  if (livenessOf({ ...currentProcess, pid }) !== "dead") return false;
  try {
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs < TEMP_FILE_MAX_AGE_MS) return false;
    await unlink(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw fsError(error, "WRITE", `Cannot remove abandoned temporary file ${path}`);
  }
}
