import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStoreError } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoReport, runDemo } from "../src/run-demo.js";
import { missingServerVariables } from "../src/server-backends.js";

const missing = missingServerVariables(process.env);
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(
    `The demo's --services test needs ${missing.join(", ")} under CI=true: run scripts/services/start.sh`,
  );
}

const NOW = new Date("2026-03-01T12:00:00.000Z");
const COUNT = 60;

describe.skipIf(missing.length > 0)(
  "demo --services (S3 on MinIO, GCS, Azure Blob on Azurite, PostgreSQL, Redis)",
  () => {
    let root: string;
    let report: DemoReport;
    const lines: string[] = [];

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), "truthound-demo-services-"));
      report = await runDemo({
        directory: join(root, "demo"),
        count: COUNT,
        seed: 5,
        now: NOW,
        services: process.env,
        write: (l) => lines.push(l),
      });
    });
    afterAll(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it("saves every result in each server backend and gets the filesystem store's answers", () => {
      expect(report.servers.map((s) => s.backend)).toEqual(["s3", "gcs", "azure", "database", "redis"]);
      for (const server of report.servers) {
        expect(server.saved).toBe(COUNT);
        expect(server.count).toBe(COUNT);
        expect(server.sameRecentFailures).toBe(true);
        expect(server.latestRunId).toBeDefined();
      }
      expect(lines.some((l) => l.startsWith("Server backends"))).toBe(true);
    });
  },
);

describe("demo --services without the servers' endpoints", () => {
  it("is a CONFIGURATION error naming the missing variables, before anything is written", async () => {
    const root = await mkdtemp(join(tmpdir(), "truthound-demo-noservices-"));
    try {
      const error = await runDemo({
        directory: join(root, "demo"),
        count: 20,
        seed: 1,
        services: {},
        write: () => {},
      }).catch((e: unknown) => e);
      expect(isStoreError(error, "CONFIGURATION")).toBe(true);
      expect(String((error as Error).message)).toContain("TRUTHOUND_TEST_S3_ENDPOINT");
      expect(existsSync(join(root, "demo"))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
