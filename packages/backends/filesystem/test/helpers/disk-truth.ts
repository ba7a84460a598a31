import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export interface DiskDocument {
  file: string;
  runId: string;
  dataAsset: string;
  status: string;
}

/**
 * Reads every document file of a store directory directly (not through the store) and parses it; a torn or
 * corrupt document makes this throw. Bookkeeping (`_…`) is skipped.
 */
export function readDocumentsFromDisk(dir: string): Map<string, DiskDocument> {
  const docs = new Map<string, DiskDocument>();
  for (const file of readdirSync(dir)) {
    if (file.startsWith("_")) continue;
    let bytes = readFileSync(join(dir, file));
    if (file.endsWith(".gz")) bytes = gunzipSync(bytes);
    let parsed: { run_id: string; data_asset: string; status: string };
    try {
      parsed = JSON.parse(bytes.toString("utf8"));
    } catch (error) {
      throw new Error(`torn or corrupt document ${file}: ${(error as Error).message}`);
    }
    docs.set(parsed.run_id, {
      file,
      runId: parsed.run_id,
      dataAsset: parsed.data_asset,
      status: parsed.status,
    });
  }
  return docs;
}
