import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "../src/args.js";
import { generateResults } from "../src/fixtures.js";
import { type DemoReport, runDemo } from "../src/run-demo.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const COUNT = 150;
const SEED = 9;
const DAY_MS = 86_400_000;

describe("demo", () => {
  let root: string;
  let report: DemoReport;
  const lines: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "truthound-demo-test-"));
    report = await runDemo({
      directory: join(root, "demo"),
      count: COUNT,
      seed: SEED,
      now: NOW,
      write: (l) => lines.push(l),
    });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("runs the SQL store on embedded PGlite: same answers, full-text search finds what a scan finds", () => {
    expect(report.sql.saved).toBe(COUNT);
    expect(report.sql.sameRecentFailures).toBe(true);
    expect(report.sql.searchHits).toBe(report.sql.expectedSearchHits);
  });

  it("runs the seeds' Workflow 2 stack over the filesystem store", () => {
    expect(report.stack.versions).toEqual(["v1", "v2", "v3", "v4"]);
    expect(report.stack.rolledBackToFirst).toBe(true);
    expect(report.stack.baseAgrees).toBe(true);
    expect(report.stack.queryAgrees).toBe(true);
    expect(report.stack.cacheHits).toBeGreaterThanOrEqual(5);
    expect(report.servers).toEqual([]);
  });

  const expected = () => generateResults(COUNT, { seed: SEED, now: NOW, spanDays: 30 });

  it("saves every result and counts them by status", () => {
    expect(report.saved).toBe(COUNT);
    const byStatus = { success: 0, warning: 0, failure: 0, error: 0 };
    for (const r of expected()) byStatus[r.status]++;
    expect(report.statusCounts).toEqual(byStatus);
  });

  it("finds exactly the last 7 days of failures of the focus asset, newest first", () => {
    const ids = expected()
      .filter(
        (r) =>
          r.dataAsset === report.recentFailures.dataAsset &&
          r.status === "failure" &&
          r.runTime.getTime() >= NOW.getTime() - 7 * DAY_MS,
      )
      .sort((a, b) => b.runTime.getTime() - a.runTime.getTime())
      .map((r) => r.runId);
    expect(ids.length).toBeGreaterThan(0);
    expect(report.recentFailures.ids).toEqual(ids);
    expect(report.memory.sameRecentFailures).toBe(true);
  });

  it("pages through production results with cursors and iterQuery alike", () => {
    const production = expected().filter((r) => r.tags.environment === "production").length;
    expect(report.pagination.counted).toBe(production);
    expect(report.pagination.paged).toBe(production);
    expect(report.pagination.iterated).toBe(production);
    expect(report.pagination.pages).toBe(Math.max(1, Math.ceil(production / report.pagination.pageSize)));
  });

  it("reports the latest run of every asset", () => {
    const all = expected();
    for (const health of report.health) {
      const runs = all.filter((r) => r.dataAsset === health.dataAsset);
      const latest = runs.reduce((a, b) => (b.runTime.getTime() > a.runTime.getTime() ? b : a));
      expect(health.runs).toBe(runs.length);
      expect(health.latest?.runId).toBe(latest.runId);
    }
  });

  it("shows the asset's history, compresses, reopens through the registry and types its errors", () => {
    const history = expected().filter(
      (r) => r.dataAsset === report.history.dataAsset && r.runTime.getTime() >= NOW.getTime() - 14 * DAY_MS,
    );
    expect(report.history.runs).toBe(history.length);
    expect(report.compression.identical).toBe(true);
    expect(report.compression.compressedBytes).toBeLessThan(report.compression.plainBytes / 3);
    expect(report.registry.reopenedCount).toBe(COUNT);
    expect(report.registry.backends).toEqual(expect.arrayContaining(["filesystem", "memory"]));
    expect(report.errors).toEqual({ missing: "NOT_FOUND", traversal: "INVALID_ARGUMENT" });
  });

  it("prints a readable summary", () => {
    const text = lines.join("\n");
    expect(text).toContain(`Last 7 days of failures for customers.csv: ${report.recentFailures.ids.length}`);
    expect(text).toContain(`Results by status (${COUNT} in all)`);
    expect(text).toContain("Summary");
    expect(text).toContain(`saved ${COUNT} results`);
  });

  it("refuses to empty a directory it did not create, and leaves it alone", async () => {
    const foreign = join(root, "foreign");
    await rm(foreign, { recursive: true, force: true });
    await mkdir(foreign);
    await writeFile(join(foreign, "precious.txt"), "keep me");
    await expect(runDemo({ directory: foreign, count: 20, seed: 1, write: () => {} })).rejects.toThrow(
      /Refusing to clean/,
    );
    expect(await readFile(join(foreign, "precious.txt"), "utf8")).toBe("keep me");
  });

  it("runs again over its own directory", async () => {
    const again = await runDemo({
      directory: join(root, "demo"),
      count: 20,
      seed: 3,
      now: NOW,
      write: () => {},
    });
    expect(again.saved).toBe(20);
    expect(again.registry.reopenedCount).toBe(20);
  });
});

describe("demo arguments", () => {
  it("has defaults under the working directory", () => {
    expect(parseDemoArgs([], "/work")).toEqual({
      directory: "/work/.truthound/demo",
      count: 300,
      seed: 42,
      services: false,
      help: false,
    });
  });

  it("reads --dir, --count, --seed, --services and --help", () => {
    expect(
      parseDemoArgs(["--", "--dir", "out", "--count", "50", "--seed", "7", "--services", "--help"], "/w"),
    ).toEqual({
      directory: "/w/out",
      count: 50,
      seed: 7,
      services: true,
      help: true,
    });
  });

  it("rejects unknown options and bad numbers", () => {
    expect(() => parseDemoArgs(["--verbose"], "/w")).toThrow(UsageError);
    expect(() => parseDemoArgs(["--count", "5"], "/w")).toThrow(/20 to 100000/);
    expect(() => parseDemoArgs(["--count"], "/w")).toThrow(UsageError);
    expect(() => parseDemoArgs(["--dir"], "/w")).toThrow(UsageError);
  });
});
