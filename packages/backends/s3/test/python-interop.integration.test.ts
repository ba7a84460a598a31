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
import { S3Store } from "../src/index.js";
import { createBucket, minio, minioOptions, requireMinio } from "./helpers/minio.js";

const python = truthoundPythonWith("boto3, truthound.stores.backends.s3");

describe.skipIf(python === undefined || minio === undefined)(
  "Truthound-py 3.2.0 S3Store interoperability on MinIO",
  () => {
    const py = python as string;
    let bucket = "";
    let drop: (() => Promise<void>) | undefined;
    const pyEnv = () => ({
      AWS_ACCESS_KEY_ID: requireMinio().accessKeyId,
      AWS_SECRET_ACCESS_KEY: requireMinio().secretAccessKey,
      AWS_DEFAULT_REGION: requireMinio().region,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const pythonStore = (namespace: string, compression: boolean): PythonStoreConfig => ({
      module: "truthound.stores.backends.s3",
      class: "S3Store",
      kwargs: {
        bucket,
        endpoint_url: requireMinio().endpoint,
        namespace,
        compression,
        region: "us-east-1",
      },
    });
    const pythonCompatibleStore = (namespace: string, compression: boolean) =>
      new S3Store({
        ...minioOptions(requireMinio()),
        bucket,
        namespace,
        compatibility: "python",
        useCompression: compression,
      });
    beforeAll(async () => {
      const created = await createBucket(requireMinio(), "python");
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
        const native = new S3Store({
          ...minioOptions(requireMinio()),
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
