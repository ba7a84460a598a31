import { isPlainObject } from "@truthound/store-core";

/**
 * Truthound-py's GCS (and Azure) stores name an index entry's object `blob_name` where its S3 store, and the
 * object kit, say `key`. These translate the `_index.json` bytes between the two, so the kit reads Python's GCS
 * index and Python reads ours. Entries that are not objects, or already carry both fields, are left alone.
 */
export function fromGcsPythonIndex(bytes: Uint8Array): Uint8Array {
  return renameField(bytes, "blob_name", "key");
}

export function toGcsPythonIndex(bytes: Uint8Array): Uint8Array {
  return renameField(bytes, "key", "blob_name");
}

function renameField(bytes: Uint8Array, from: string, to: string): Uint8Array {
  let index: unknown;
  try {
    index = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    // Unparseable: handed on unchanged, so the kit reports the corrupt index itself.
    return bytes;
  }
  if (!isPlainObject(index)) return bytes;
  let changed = false;
  for (const entry of Object.values(index)) {
    if (isPlainObject(entry) && typeof entry[from] === "string" && !(to in entry)) {
      entry[to] = entry[from];
      delete entry[from];
      changed = true;
    }
  }
  return changed ? new Uint8Array(Buffer.from(JSON.stringify(index, null, 2), "utf8")) : bytes;
}
