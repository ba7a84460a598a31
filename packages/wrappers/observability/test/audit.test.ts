import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStoreError, ManualClock } from "@truthound/store-core";
import { MemoryStore } from "@truthound/store-memory";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuditEvent,
  AuditLogLevel,
  ObservabilityConfig,
  ObservableStore,
  REDACTED,
  withCorrelationId,
} from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "truthound-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exercise(store: ObservableStore) {
  await store.initialize();
  const item = makeResult({ runId: "r1", dataAsset: "orders" });
  await store.save(item);
  await store.get("r1");
  await store.exists("r1");
  await store.listIds();
  await store.query({ dataAsset: "orders" });
  await store.count();
  await store.saveMany([makeResult({ runId: "r2" })]);
  await store.deleteMany(["r2"]);
  await expectStoreError(store.get("missing"), "NOT_FOUND");
  await store.delete("r1");
  await store.close();
}

function audited(level: AuditLogLevel) {
  return new ObservableStore(new MemoryStore(), new ObservabilityConfig({ audit: { level } }));
}

describe("audit levels", () => {
  it("MINIMAL keeps writes and failures only", async () => {
    const store = audited(AuditLogLevel.MINIMAL);
    const events = store.auditEvents;
    await exercise(store);
    expect(events.map((e) => `${e.operation}:${e.status}`)).toEqual([
      "save:success",
      "saveMany:success",
      "deleteMany:success",
      "get:failure",
      "delete:success",
    ]);
  });

  it("STANDARD keeps every operation except initialize and close, without input", async () => {
    const store = audited(AuditLogLevel.STANDARD);
    const events = store.auditEvents;
    await exercise(store);
    expect(events.map((e) => e.operation)).toEqual([
      "save",
      "get",
      "exists",
      "listIds",
      "query",
      "count",
      "saveMany",
      "deleteMany",
      "get",
      "delete",
    ]);
    expect(events.every((e) => e.input === undefined && e.dataPreview === undefined)).toBe(true);
    const failed = events.find((e) => e.status === "failure") as AuditEvent;
    expect(failed).toMatchObject({ eventType: "read", resourceId: "missing", errorType: "NOT_FOUND" });
    expect(events.find((e) => e.operation === "query")?.itemCount).toBe(1);
  });

  it("VERBOSE adds initialize, close and the input; DEBUG adds previews and error stacks", async () => {
    const verbose = audited(AuditLogLevel.VERBOSE);
    const vEvents = verbose.auditEvents;
    await exercise(verbose);
    expect(vEvents[0]?.operation).toBe("initialize");
    expect(vEvents.at(-1)?.operation).toBe("close");
    const save = vEvents.find((e) => e.operation === "save") as AuditEvent;
    expect(save.input).toMatchObject({ item: { dataAsset: "orders", status: "success" } });
    expect(save.dataPreview).toBeUndefined();
    expect(vEvents.find((e) => e.operation === "query")?.input).toEqual({ query: { dataAsset: "orders" } });

    const debug = audited(AuditLogLevel.DEBUG);
    const dEvents = debug.auditEvents;
    await exercise(debug);
    const dSave = dEvents.find((e) => e.operation === "save") as AuditEvent;
    expect(dSave.dataPreview?.startsWith('{"run_id":"r1"')).toBe(true);
    expect(Buffer.byteLength(dSave.dataPreview as string)).toBeLessThanOrEqual(1024);
    expect(dEvents.find((e) => e.status === "failure")?.errorStack).toContain("NotFound");
  });

  it("events carry time from the injected clock, duration and backend", async () => {
    const clock = new ManualClock(Date.UTC(2025, 5, 1));
    const store = new ObservableStore(new MemoryStore(), new ObservabilityConfig({ audit: {} }), { clock });
    await store.save(makeResult({ runId: "t" }));
    const [event] = store.auditEvents;
    expect(event).toMatchObject({
      timestamp: "2025-06-01T00:00:00.000Z",
      backend: "memory",
      status: "success",
    });
    expect(event?.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event?.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("redaction", () => {
  it("redacts sensitive keys everywhere, metadata and tags included, and secrets inside strings", async () => {
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { level: AuditLogLevel.DEBUG, maxDataPreviewBytes: 100_000 } }),
    );
    const item = makeResult({
      runId: "secret-run",
      tags: { api_key: "k-123", env: "prod" },
      metadata: { owner: "alice@example.com", nested: { dbPassword: "hunter2", note: "token=abc123" } },
    });
    await store.save(item);
    const text = JSON.stringify(store.auditEvents);
    for (const secret of ["k-123", "alice@example.com", "hunter2", "abc123"])
      expect(text).not.toContain(secret);
    const [event] = store.auditEvents;
    const summary = event?.input?.item as {
      tags: Record<string, string>;
      metadata: { nested: Record<string, string> };
    };
    expect(summary.tags).toEqual({ api_key: REDACTED, env: "prod" });
    expect(summary.metadata.nested.dbPassword).toBe(REDACTED);
    expect(event?.dataPreview).toContain(REDACTED);
    expect(event?.resourceId).toBe("secret-run");
  });

  it("uses configured field patterns (strings and RegExps) and can be turned off", async () => {
    const custom = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({
        audit: { level: AuditLogLevel.VERBOSE, sensitiveFields: ["owner", /^internal_/], redactPatterns: [] },
      }),
    );
    await custom.save(makeResult({ metadata: { owner: "bob", internal_code: "x1", password: "visible" } }));
    const summary = custom.auditEvents[0]?.input?.item as { metadata: Record<string, string> } | undefined;
    const meta = summary?.metadata;
    expect(meta).toEqual({ owner: REDACTED, internal_code: REDACTED, password: "visible" });

    const off = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { level: AuditLogLevel.VERBOSE, redactSensitive: false } }),
    );
    await off.save(makeResult({ metadata: { password: "plain" } }));
    expect(JSON.stringify(off.auditEvents)).toContain("plain");
  });
});

describe("correlation ids", () => {
  it("come from withCorrelationId across awaits, else from the config", async () => {
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: {}, correlationId: "default-id" }),
    );
    await withCorrelationId("req-42", async () => {
      await store.save(makeResult({ runId: "a" }));
      await new Promise((resolve) => setTimeout(resolve, 1));
      await store.get("a");
    });
    await store.exists("a");
    expect(store.auditEvents.map((e) => e.correlationId)).toEqual(["req-42", "req-42", "default-id"]);
  });

  it("concurrent contexts do not mix", async () => {
    const store = new ObservableStore(new MemoryStore(), new ObservabilityConfig({ audit: {} }));
    await Promise.all(
      ["x", "y", "z"].map((id) => withCorrelationId(`c-${id}`, () => store.save(makeResult({ runId: id })))),
    );
    for (const event of store.auditEvents) expect(event.correlationId).toBe(`c-${event.resourceId}`);
  });
});

describe("audit backends", () => {
  it("file: JSON lines, rotated by size, keeping maxFiles old files", async () => {
    const filePath = join(dir, "rotating", "audit.jsonl");
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { backend: "file", filePath, maxFileBytes: 2048, maxFiles: 2 } }),
    );
    for (let i = 0; i < 60; i++) {
      await store.save(makeResult({ runId: `run-${i}` }));
      await store.flush();
    }
    await store.close();
    const files = readdirSync(join(dir, "rotating")).sort();
    expect(files).toEqual(["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]);
    const oldestFirst = ["audit.jsonl.2", "audit.jsonl.1", "audit.jsonl"];
    const lines = oldestFirst.flatMap((f) =>
      readFileSync(join(dir, "rotating", f), "utf8")
        .trim()
        .split("\n"),
    );
    for (const f of files) expect(readFileSync(join(dir, "rotating", f)).length).toBeLessThanOrEqual(2048);
    const events = lines.map((line) => JSON.parse(line) as AuditEvent);
    const ids = events.map((e) => Number(e.resourceId?.slice(4)));
    expect(ids.at(-1)).toBe(59);
    // The kept files hold the newest events, contiguous, in order.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => 60 - ids.length + i));
    expect(events.every((e) => e.operation === "save")).toBe(true);
  });

  it("file: a failed write is surfaced by flush, not swallowed", async () => {
    const blocker = join(dir, "not-a-dir");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(blocker, "x");
    const errors: Error[] = [];
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({
        audit: { backend: "file", filePath: join(blocker, "audit.jsonl"), onError: (e) => errors.push(e) },
      }),
    );
    await store.save(makeResult());
    const failure = await store.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStoreError(failure, "WRITE")).toBe(true);
    // Once from the background write, once more from the retry in flush.
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it("custom sink receives every event, and its failures are surfaced", async () => {
    const received: AuditEvent[] = [];
    let fail = false;
    const sink = {
      write(event: AuditEvent) {
        if (fail) throw new Error("sink down");
        received.push(event);
      },
    };
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { backend: "custom", sink } }),
    );
    await store.save(makeResult());
    expect(received).toHaveLength(1);
    fail = true;
    await store.save(makeResult());
    await expect(store.flush()).rejects.toMatchObject({ code: "WRITE" });
  });

  it("memory: keeps the newest maxEvents", async () => {
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { maxEvents: 3 } }),
    );
    for (let i = 0; i < 5; i++) await store.save(makeResult({ runId: `m${i}` }));
    expect(store.auditEvents.map((e) => e.resourceId)).toEqual(["m2", "m3", "m4"]);
  });

  it("rejects incomplete or unknown audit options with CONFIGURATION", () => {
    const bad: unknown[] = [
      { audit: { backend: "file" } },
      { audit: { backend: "custom" } },
      { audit: { filePath: "/tmp/x.jsonl" } },
      { audit: { level: "LOUD" } },
      { audit: { retentionDays: 90 } },
      { audit: { sensitiveFields: [""] } },
    ];
    for (const init of bad) {
      expect(() => new ObservabilityConfig(init as never), JSON.stringify(init)).toThrow(
        expect.objectContaining({ code: "CONFIGURATION" }),
      );
    }
  });
});

describe("batches", () => {
  it("a batch with failed items is recorded as partial with the failed count, also at MINIMAL", async () => {
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: { level: AuditLogLevel.MINIMAL } }),
    );
    await store.save(makeResult({ runId: "present" }));
    await store.getMany(["present", "absent"]);
    const standard = new ObservableStore(new MemoryStore(), new ObservabilityConfig({ audit: {} }));
    await standard.save(makeResult({ runId: "present" }));
    await standard.getMany(["present", "absent"]);
    await standard.getMany(["present"]);
    expect(
      standard.auditEvents.slice(1).map((e) => [e.operation, e.status, e.itemCount, e.failedCount]),
    ).toEqual([
      ["getMany", "partial", 2, 1],
      ["getMany", "success", 1, undefined],
    ]);
    expect(store.auditEvents.map((e) => `${e.operation}:${e.status}`)).toEqual([
      "save:success",
      "getMany:partial",
    ]);
  });
});
