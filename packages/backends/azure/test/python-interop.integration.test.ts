import { ValidationResult, ValidatorResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureBlobStore } from "../src/index.js";
import { adminService, azurite, createContainer, requireAzurite } from "./helpers/azurite.js";
import { azureStoreImports, findTruthoundPython, runPythonFixture } from "./helpers/python.js";

const python = findTruthoundPython();
const usable = python !== undefined && azureStoreImports(python);
if (!usable && process.env.CI === "true") {
  throw new Error(
    "Truthound-py with azure-storage-blob is required under CI=true: run ./scripts/setup-python.sh",
  );
}

type PyDict = Record<string, unknown> & {
  run_id: string;
  data_asset: string;
  status: string;
  run_time: string;
};
interface PythonRead {
  ids: string[];
  documents: Record<string, PyDict>;
  query: string[];
  exists: Record<string, boolean>;
}

describe.skipIf(!usable || azurite === undefined)(
  "Truthound-py 3.2.0 AzureBlobStore interoperability on Azurite",
  () => {
    const py = python as string;
    let container = "";
    let drop: (() => Promise<void>) | undefined;
    const pyEnv = () => ({ AZURE_CONNECTION_STRING: requireAzurite().connectionString });
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
        const written = await runPythonFixture<PyDict[]>(
          py,
          "write_azure.py",
          [container, namespace, compression ? "1" : "0", "12"],
          pyEnv(),
        );
        const store = new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
          namespace,
          compatibility: "python",
          useCompression: compression,
        });
        expect(new Set(await store.listIds())).toEqual(new Set(written.map((w) => w.run_id)));
        for (const w of written) {
          const item = await store.get(w.run_id);
          expect(item.dataAsset).toBe(w.data_asset);
          expect(item.status).toBe(w.status);
          expect(item.tags).toEqual(w.tags);
          expect(item.metadata).toEqual(w.metadata);
          // Naive Python times are read as UTC.
          expect(item.runTime.toISOString()).toBe(`${w.run_time.slice(0, 23)}Z`);
          expect(item.results[0]?.validatorName).toBe("not_null");
        }
        const failures = await store.query({ dataAsset: "asset_1.csv", status: "failure", ascending: true });
        const expected = written
          .filter((w) => w.data_asset === "asset_1.csv" && w.status === "failure")
          .sort((a, b) => a.run_time.localeCompare(b.run_time))
          .map((w) => w.run_id);
        expect(expected.length).toBeGreaterThan(0);
        expect(failures.map((r) => r.runId)).toEqual(expected);
        expect(await store.count({ tags: { env: "prod" } })).toBe(
          written.filter((w) => (w.tags as { env: string }).env === "prod").length,
        );
        // Our write into Python's bucket keeps Python's entries, and a native store can index Python's documents.
        await store.save(
          new ValidationResult({
            runId: "run_20240302_000000_0000abcd",
            dataAsset: "asset_1.csv",
            status: "success",
          }),
        );
        expect(await store.count()).toBe(written.length + 1);
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
        expect(
          (await native.query({ dataAsset: "asset_1.csv", status: "failure", ascending: true })).map(
            (r) => r.runId,
          ),
        ).toEqual(expected);
        await native.close();
      });

      it("Python reads what we wrote in python compatibility: get, list_ids, query, exists", async () => {
        const namespace = `ts-writes-${compression ? "gz" : "plain"}`;
        const store = new AzureBlobStore({
          connectionString: requireAzurite().connectionString,
          container,
          namespace,
          compatibility: "python",
          useCompression: compression,
        });
        const saved: ValidationResult[] = [];
        for (let i = 0; i < 10; i++) {
          const result = new ValidationResult({
            runId: `run_20240401_${String(i).padStart(6, "0")}_${i.toString(16).padStart(8, "0")}`,
            runTime: new Date(Date.UTC(2024, 3, 1, i, 30, 0, 250)),
            dataAsset: i % 2 === 0 ? "orders.csv" : "customers.csv",
            status: i % 3 === 0 ? "failure" : "success",
            results: [
              new ValidatorResult({ validatorName: "unique", success: i % 3 !== 0, column: "id", count: i }),
            ],
            tags: { env: "prod", owner: "ünï" },
            metadata: { n: i },
          });
          await store.save(result);
          saved.push(result);
        }
        await store.close();
        const read = await runPythonFixture<PythonRead>(
          py,
          "read_azure.py",
          [container, namespace, compression ? "1" : "0", "orders.csv", "2024-04-01T03:00:00"],
          pyEnv(),
        );
        expect(new Set(read.ids)).toEqual(new Set(saved.map((s) => s.runId)));
        for (const s of saved) {
          const doc = read.documents[s.runId];
          expect(doc?.data_asset).toBe(s.dataAsset);
          expect(doc?.status).toBe(s.status);
          expect(doc?.tags).toEqual(s.tags);
          expect(read.exists[s.runId]).toBe(true);
        }
        const expected = saved
          .filter(
            (s) =>
              s.dataAsset === "orders.csv" &&
              s.status === "failure" &&
              s.runTime.getTime() >= Date.UTC(2024, 3, 1, 3),
          )
          .map((s) => s.runId);
        expect(expected.length).toBeGreaterThan(0);
        expect(read.query).toEqual(expected);
      });
    });
  },
);
