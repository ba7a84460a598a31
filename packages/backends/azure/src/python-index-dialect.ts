import { isPlainObject } from "@truthound/store-core";

/**
 * Truthound-py's Azure store names an `_index.json` entry's blob `blob_name`; the object kit (like Truthound-py's
 * S3 store) says `key`. These rewrite the index bytes between the two spellings at the storage boundary, so the
 * kit reads Python's index and Python reads ours. Anything else (other fields, odd entries, entries with both
 * fields, unparseable bytes) passes through unchanged.
 */
export function indexFromPython(bytes: Uint8Array): Uint8Array {
  return renameEntryField(bytes, "blob_name", "key");
}

export function indexToPython(bytes: Uint8Array): Uint8Array {
  return renameEntryField(bytes, "key", "blob_name");
}

function renameEntryField(bytes: Uint8Array, from: string, to: string): Uint8Array {
  let index: unknown;
  try {
    index = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    // The kit reports a corrupt index itself.
    return bytes;
  }
  if (!isPlainObject(index)) return bytes;
  let renamed = 0;
  for (const entry of Object.values(index)) {
    if (!isPlainObject(entry) || typeof entry[from] !== "string" || to in entry) continue;
    entry[to] = entry[from];
    delete entry[from];
    renamed++;
  }
  return renamed === 0 ? bytes : new Uint8Array(Buffer.from(JSON.stringify(index, null, 2), "utf8"));
}
