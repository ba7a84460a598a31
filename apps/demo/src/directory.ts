import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

const MARKER = ".truthound-demo";

/**
 * Empties the demo directory. Only a directory the demo created (it holds a marker file) or an empty or
 * missing one is touched, so a mistyped `--dir` never deletes someone's data.
 */
export async function prepareDemoDirectory(dir: string): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new Error(
      `Refusing to clean ${dir}: it is not empty and was not created by the demo (no ${MARKER} file)`,
    );
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), "Created by the Truthound stores demo; emptied at every run.\n");
}

/** Total size in bytes of the files under `dir`. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
