import { fileURLToPath } from "node:url";
import { runPythonScript } from "./python-script.js";

/** A Truthound-py store to build: `getattr(import_module(module), class)(**kwargs)`. */
export interface PythonStoreConfig {
  module: string;
  class: string;
  kwargs: Record<string, unknown>;
}

/** A ValidationResult as Truthound-py's `to_dict()` prints it. */
export type PyDict = Record<string, unknown> & {
  run_id: string;
  data_asset: string;
  status: string;
  run_time: string;
};

/** What read_results.py reports: list_ids, every document, a failure query and exists. */
export interface PythonRead {
  ids: string[];
  documents: Record<string, PyDict>;
  query: string[];
  exists: Record<string, boolean>;
}

function script(name: string): string {
  return fileURLToPath(new URL(`../python/${name}`, import.meta.url));
}

/** Saves `count` fixture results with the Python store; returns their `to_dict()`s. */
export function writeWithPython(
  python: string,
  store: PythonStoreConfig,
  count: number,
  env: Record<string, string> = {},
): Promise<PyDict[]> {
  return runPythonScript<PyDict[]>(python, script("write_results.py"), { store, count }, env);
}

/** Reads everything with the Python store and queries failures of `asset` from `start` (naive ISO time). */
export function readWithPython(
  python: string,
  store: PythonStoreConfig,
  query: { asset: string; start: string },
  env: Record<string, string> = {},
): Promise<PythonRead> {
  return runPythonScript<PythonRead>(python, script("read_results.py"), { store, ...query }, env);
}
