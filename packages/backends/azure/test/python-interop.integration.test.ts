import { ValidationResult } from "@truthound/store-core";
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
import { AzureBlobStore } from "../src/index.js";
import { adminService, azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

const python = truthoundPythonWith("azure.storage.blob, truthound.stores.backends.azure_blob");

describe.skipIf(python === undefined || azurite === undefined)(
  "Truthound-py 3.2.0 AzureBlobStore interoperability on Azurite",
  () => {
    const py = python as string;
    let container = "";
    let drop: (() => Promise<void>) | undefined;
    const pythonStore = (namespace: string, compression: boolean): PythonStoreConfig => ({
      module: "truthound.stores.backends.azure_blob",
      class: "AzureBlobStore",
      kwargs: { container, connection_string: requireAzurite().connectionString, namespace, compression },
    });
    const pythonCompatibleStore = (namespace: string, compression: boolean) =>
      new AzureBlobStore({
        connectionString: requireAzurite().connectionString,
        container,
        namespace,
        compatibility: "python",
        useCompression: compression,
      });
    beforeAll(async () => {
      const created = await createContainer(requireAzurite(), "python");
      container = created.name;
      drop = created.drop;
    });
    afterAll(async () => drop?.());

    it("our python-compatible index and documents have Truthound-py's shape on the server", async () => {
      const store = new AzureBlobStore({
        connectionString: requireAzurite().connectionString,
        container,
        namespace: "shape",
        compatibility: "python",
      });
      await store.save(
        new ValidationResult({
          runId: "run_20240501_000000_00000001",
          dataAsset: "a.csv",
          status: "success",
        }),
      );
      const admin = adminService(requireAzurite()).getContainerClient(container);
      const index = JSON.parse(
        (await admin.getBlobClient(store.layout.pythonIndexKey).downloadToBuffer()).toString(),
      );
      expect(index.run_20240501_000000_00000001).toMatchObject({
        data_asset: "a.csv",
        status: "success",
        blob_name: store.documentKey("run_20240501_000000_00000001"),
      });
      expect(index.run_20240501_000000_00000001.key).toBeUndefined();
      // Unlabelled gzip: Python's azure-storage-blob would gunzip a labelled blob before Truthound-py does.
      const props = await admin
        .getBlobClient(store.documentKey("run_20240501_000000_00000001"))
        .getProperties();
      expect(props.contentEncoding).toBeUndefined();
      await store.close();
    });

    describe.each([true, false])("compression %s", (compression) => {
      it("we read what Python wrote: get, listIds, query, count", async () => {
        const namespace = `py-writes-${compression ? "gz" : "plain"}`;
        const written = await writeWithPython(py, pythonStore(namespace, compression), 12);
        const store = pythonCompatibleStore(namespace, compression);
        const expected = await expectStoreReadsPythonResults(store, written);
        // Our write into Python's container keeps Python's entries, and a native store can index Python's documents.
        await expectSaveKeepsPythonResults(store, written);
        await store.close();
        const native = new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
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
        const read = await readWithPython(py, pythonStore(namespace, compression), PYTHON_READ_QUERY);
        expectPythonReadResults(read, saved);
      });
    });
  },
);
