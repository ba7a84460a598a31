import {
  expectPythonReadResults,
  expectSaveKeepsPythonResults,
  expectStoreReadsPythonResults,
  PYTHON_READ_QUERY,
  type PythonStoreConfig,
  readWithPython,
  resultsForPython,
  truthoundPythonWith,
  writeWithPython,
} from "@truthound/test-support";
import { describe, it } from "vitest";
import { FileSystemStore } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

const python = truthoundPythonWith("truthound.stores.backends.filesystem");

function pythonStore(basePath: string, compression: boolean): PythonStoreConfig {
  return {
    module: "truthound.stores.backends.filesystem",
    class: "FileSystemStore",
    kwargs: { base_path: basePath, namespace: "default", compression },
  };
}

describe.skipIf(python === undefined)("Truthound-py 3.2.0 FileSystemStore interoperability", () => {
  const py = python as string;

  describe.each([false, true])("compression %s", (compression) => {
    it("we read what Python wrote: get, listIds, query", { timeout: 60_000 }, async () => {
      const basePath = tempDir("py-writes");
      const written = await writeWithPython(py, pythonStore(basePath, compression), 12);
      const store = new FileSystemStore({ basePath, layout: "python", useCompression: compression });

      await expectStoreReadsPythonResults(store, written);
      // Our writes into a Python-written directory keep Python's entries.
      await expectSaveKeepsPythonResults(store, written);
      await store.close();
    });

    it("Python reads what we wrote in the python layout: get, list_ids, query", {
      timeout: 60_000,
    }, async () => {
      const basePath = tempDir("ts-writes");
      const store = new FileSystemStore({ basePath, layout: "python", useCompression: compression });
      const saved = resultsForPython();
      for (const result of saved) await store.save(result);
      await store.close();

      const read = await readWithPython(py, pythonStore(basePath, compression), PYTHON_READ_QUERY);
      expectPythonReadResults(read, saved);
    });
  });
});
