import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { MemoryStore } from "@truthound/store-memory";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { AuditLogLevel, ObservabilityConfig, ObservableStore, withCorrelationId } from "../src/index.js";
import { otelHarness } from "./helpers/otel.js";

describe("tracing", () => {
  it("one INTERNAL span per operation, named '{operation} {backend}', with database-style attributes", async () => {
    const otel = otelHarness();
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ tracing: { tracerProvider: otel.tracerProvider } }),
    );
    await store.save(makeResult({ runId: "s1" }));
    await store.get("s1");
    const spans = otel.spanExporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["save memory", "get memory"]);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes["error.type"]).toBeUndefined();
      expect(span.attributes["truthound.store.backend"]).toBe("memory");
    }
    expect(spans[1]?.attributes["db.operation.name"]).toBe("get");
    await otel.shutdown();
  });

  it("a failure sets ERROR status, error.type and an exception event; the error passes through", async () => {
    const otel = otelHarness();
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ tracing: { tracerProvider: otel.tracerProvider } }),
    );
    await expectStoreError(store.get("missing"), "NOT_FOUND");
    const [span] = otel.spanExporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes["error.type"]).toBe("NOT_FOUND");
    expect(span?.events.map((e) => e.name)).toEqual(["exception"]);
    await otel.shutdown();
  });

  it("spans join the caller's active trace, and stacked stores nest their spans", async () => {
    const otel = otelHarness();
    const tracing = { tracing: { tracerProvider: otel.tracerProvider } };
    const inner = new ObservableStore(new MemoryStore(), new ObservabilityConfig(tracing));
    const outer = new ObservableStore(inner, new ObservabilityConfig(tracing));
    const tracer = otel.tracerProvider.getTracer("test");
    await tracer.startActiveSpan("request", async (parent) => {
      await outer.save(makeResult({ runId: "n1" }));
      parent.end();
    });
    const spans = otel.spanExporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const request = byName("request")[0];
    const [innerSave, outerSave] = byName("save memory");
    expect(outerSave?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(innerSave?.parentSpanContext?.spanId).toBe(outerSave?.spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(trace.getSpan(context.active())).toBeUndefined();
    await otel.shutdown();
  });

  it("audit events carry the trace and span ids and the correlation id is a span attribute", async () => {
    const otel = otelHarness();
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({
        audit: { level: AuditLogLevel.STANDARD },
        tracing: { tracerProvider: otel.tracerProvider },
      }),
    );
    await withCorrelationId("corr-1", () => store.save(makeResult({ runId: "t1" })));
    const [span] = otel.spanExporter.getFinishedSpans();
    const [event] = store.auditEvents;
    expect(event?.traceId).toBe(span?.spanContext().traceId);
    expect(event?.spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes["truthound.correlation_id"]).toBe("corr-1");
    await otel.shutdown();
  });

  it("iterQuery is one span from the first item to the end", async () => {
    const otel = otelHarness();
    const store = new ObservableStore(
      new MemoryStore(),
      new ObservabilityConfig({ audit: {}, tracing: { tracerProvider: otel.tracerProvider } }),
    );
    for (let i = 0; i < 5; i++) await store.save(makeResult({ runId: `i${i}` }));
    otel.spanExporter.reset();
    let seen = 0;
    for await (const _ of store.iterQuery({}, { batchSize: 2 })) seen++;
    expect(seen).toBe(5);
    expect(otel.spanExporter.getFinishedSpans().map((s) => s.name)).toEqual(["iterQuery memory"]);
    expect(store.auditEvents.at(-1)).toMatchObject({
      operation: "iterQuery",
      itemCount: 5,
      status: "success",
    });
    await otel.shutdown();
  });
});
