import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { Store, ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { S3Store } from "@truthound/store-s3";
import { SqlStore } from "@truthound/store-sql";
import { type HistoryRecord, historyRecordAdapter } from "@truthound/store-versioning";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { generateResults } from "../src/fixtures.js";
import { runWorkflowStack } from "../src/workflow-stack.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const results = () => generateResults(20, { seed: 3, now: NOW, spanDays: 10 });

const s3Env = process.env.TRUTHOUND_TEST_S3_ENDPOINT
  ? {
      endpointUrl: process.env.TRUTHOUND_TEST_S3_ENDPOINT,
      region: process.env.TRUTHOUND_TEST_S3_REGION || "us-east-1",
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.TRUTHOUND_TEST_S3_ACCESS_KEY as string,
        secretAccessKey: process.env.TRUTHOUND_TEST_S3_SECRET_KEY as string,
      },
    }
  : undefined;
const postgresUrl = process.env.TRUTHOUND_TEST_POSTGRES_URL || undefined;
if ((s3Env === undefined || postgresUrl === undefined) && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_S3_ENDPOINT and TRUTHOUND_TEST_POSTGRES_URL are needed under CI=true: run scripts/services/start.sh",
  );
}

async function expectWorkflow(base: Store<ValidationResult>, history: Store<HistoryRecord>) {
  const outcome = await runWorkflowStack(base, history, results());
  expect(outcome.versions).toEqual(["v1", "v2", "v3", "v4"]);
  expect(outcome.rollbackVersion).toBe("v4");
  expect(outcome.rolledBackToFirst).toBe(true);
  expect(outcome.baseAgrees).toBe(true);
  expect(outcome.queryAgrees).toBe(true);
  expect(outcome.cacheHits).toBeGreaterThanOrEqual(5);
  expect(outcome.auditEvents).toBeGreaterThan(0);
  expect(outcome.metricSamples).toBeGreaterThan(0);
}

describe("Workflow 2: base -> VersionedStore -> CachedStore -> ObservableStore", () => {
  it("over the filesystem store", async () => {
    const dir = await mkdtemp(join(tmpdir(), "truthound-stack-"));
    try {
      const base = new FileSystemStore({ basePath: dir, namespace: "stack" });
      const history = new FileSystemStore({
        basePath: dir,
        namespace: "stack-history",
        adapter: historyRecordAdapter,
      });
      await expectWorkflow(base, history);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(s3Env === undefined)("over S3 on MinIO", async () => {
    const env = s3Env as NonNullable<typeof s3Env>;
    const admin = new S3Client({
      endpoint: env.endpointUrl,
      region: env.region,
      forcePathStyle: true,
      credentials: env.credentials,
    });
    const bucket = `tt-stack-${randomBytes(4).toString("hex")}`;
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const base = new S3Store({ ...env, bucket, namespace: "stack" });
    const history = new S3Store({
      ...env,
      bucket,
      namespace: "stack-history",
      adapter: historyRecordAdapter,
    });
    try {
      await expectWorkflow(base, history);
    } finally {
      const cleanBase = new S3Store({ ...env, bucket, namespace: "stack" });
      const cleanHistory = new S3Store({
        ...env,
        bucket,
        namespace: "stack-history",
        adapter: historyRecordAdapter,
      });
      await cleanBase.clear();
      await cleanHistory.clear();
      await cleanBase.close();
      await cleanHistory.close();
      await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
      admin.destroy();
    }
  });

  it.skipIf(postgresUrl === undefined)("over PostgreSQL", async () => {
    const connectionUrl = postgresUrl as string;
    const tablePrefix = `stack_${randomBytes(4).toString("hex")}_`;
    const base = new SqlStore({ connectionUrl, tablePrefix, namespace: "stack" });
    const history = new SqlStore({
      connectionUrl,
      tablePrefix,
      namespace: "stack-history",
      adapter: historyRecordAdapter,
    });
    try {
      await expectWorkflow(base, history);
    } finally {
      const client = new pg.Client({ connectionString: connectionUrl });
      await client.connect();
      const table = `${tablePrefix}validation_results`;
      await client.query(`DROP TABLE IF EXISTS "${table}", "${table}_migrations"`);
      await client.end();
    }
  });
});
