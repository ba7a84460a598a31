import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The shared Wycheproof copy sits beside the repository (`../shared/vectors/wycheproof`). */
const vectorDir = fileURLToPath(new URL("../../../../../shared/vectors/wycheproof/", import.meta.url));

export interface WycheproofGroup<T> {
  tests: T[];
}

export function loadWycheproof<T>(file: string): { numberOfTests: number; testGroups: WycheproofGroup<T>[] } {
  const path = `${vectorDir}${file}`;
  if (!existsSync(path)) throw new Error(`Wycheproof vectors missing: ${path}`);
  return JSON.parse(readFileSync(path, "utf8"));
}
