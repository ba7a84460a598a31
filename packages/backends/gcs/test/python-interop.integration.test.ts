import {
  expectPythonReadResults,
  expectSaveKeepsPythonResults,
  expectStoreReadsPythonResults,
  PYTHON_FAILURES_QUERY,
  PYTHON_READ_QUERY,
  type PythonStoreConfig,
  readWithPython,
  resultsForPython,
  truthoundPythonWith,
  writeWithPython,
} from "@truthound/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GCSStore } from "../src/index.js";
import { createBucket, gcsEndpoint, requireGcs } from "./helpers/fake-gcs.js";

const python = truthoundPythonWith("google.cloud.storage, truthound.stores.backends.gcs");

describe.skipIf(python === undefined || gcsEndpoint === undefined)(
  "Truthound-py 3.2.0 GCSStore interoperability on fake-gcs-server",
  () => {
    const py = python as string;
    let bucket = "";
    let drop: (() => Promise<void>) | undefined;
    // google-cloud-storage talks to an emulator, unauthenticated, when STORAGE_EMULATOR_HOST is set.
    const pyEnv = () => ({ STORAGE_EMULATOR_HOST: requireGcs() });
    const pythonStore = (namespace: string, compression: boolean): PythonStoreConfig => ({
      module: "truthound.stores.backends.gcs",
      class: "GCSStore",
      kwargs: { bucket, project: "truthound-test", namespace, compression },
    });
    const pythonCompatibleStore = (namespace: string, compression: boolean) =>
      new GCSStore({
        apiEndpoint: requireGcs(),
        bucket,
        namespace,
        compatibility: "python",
        useCompression: compression,
      });
    beforeAll(async () => {
      const created = await createBucket("python");
      bucket = created.name;
      drop = created.drop;
    });
    afterAll(async () => drop?.());

    describe.each([true, false])("compression %s", (compression) => {
      it("we read what Python wrote: get, listIds, query, count", async () => {
        const namespace = `py-writes-${compression ? "gz" : "plain"}`;
        const written = await writeWithPython(py, pythonStore(namespace, compression), 12, pyEnv());
        const store = pythonCompatibleStore(namespace, compression);
        const expected = await expectStoreReadsPythonResults(store, written);
        // Our write into Python's bucket keeps Python's entries, and a native store can index Python's documents.
        await expectSaveKeepsPythonResults(store, written);
        await store.close();
        const native = new GCSStore({
          apiEndpoint: requireGcs(),
          bucket,
          namespace,
          useCompression: compression,
        });
        const report = await native.rebuildIndex();
        expect(report.problems).toEqual([]);
        expect(report.documents).toBe(written.length + 1);
        expect((await native.query(PYTHON_FAILURES_QUERY)).map((r) => r.runId)).toEqual(expected);
        await native.close();
      });

      it("Python reads what we wrote in python compatibility: get, list_ids, query, exists", async () => {
        const namespace = `ts-writes-${compression ? "gz" : "plain"}`;
        const store = pythonCompatibleStore(namespace, compression);
        const saved = resultsForPython();
        for (const result of saved) await store.save(result);
        await store.close();
        const read = await readWithPython(
          py,
          pythonStore(namespace, compression),
          PYTHON_READ_QUERY,
          pyEnv(),
        );
        expectPythonReadResults(read, saved);
      });
    });
  },
);
