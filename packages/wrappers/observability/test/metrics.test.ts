import { DataPointType, type HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { MemoryStore } from "@truthound/store-memory";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BUCKETS, ObservabilityConfig, ObservableStore } from "../src/index.js";
import { importOptional } from "../src/optional-module.js";
import { otelHarness } from "./helpers/otel.js";

const opened: ObservableStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
});

function track(store: ObservableStore): ObservableStore {
  opened.push(store);
  return store;
}

describe("OpenTelemetry metrics", () => {
  it("records truthound.store.operation.duration in seconds with the advisory buckets and low-cardinality attributes", async () => {
    const otel = otelHarness();
    const config = new ObservabilityConfig({
      metrics: { meterProvider: otel.meterProvider, openTelemetry: true },
    });
    // Two instances over the same backend: they must add to the same series.
    const a = track(new ObservableStore(new MemoryStore(), config));
    const b = track(new ObservableStore(new MemoryStore(), config));
    await a.save(makeResult({ runId: "one" }));
    await b.save(makeResult({ runId: "two" }));
    await a.get("one");
    await expectStoreError(b.get("missing"), "NOT_FOUND");

    const [resource] = await otel.collectMetrics();
    const metric = resource?.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === "truthound.store.operation.duration") as HistogramMetricData;
    expect(metric.descriptor.unit).toBe("s");
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    const points = metric.dataPoints.map((p) => ({ attributes: p.attributes, count: p.value.count }));
    expect(points).toEqual(
      expect.arrayContaining([
        { attributes: { "db.operation.name": "save", "truthound.store.backend": "memory" }, count: 2 },
        { attributes: { "db.operation.name": "get", "truthound.store.backend": "memory" }, count: 1 },
        {
          attributes: {
            "db.operation.name": "get",
            "truthound.store.backend": "memory",
            "error.type": "NOT_FOUND",
          },
          count: 1,
        },
      ]),
    );
    expect(points).toHaveLength(3);
    expect(metric.dataPoints[0]?.value.buckets.boundaries).toEqual([...DEFAULT_BUCKETS]);
    await otel.shutdown();
  });
});

describe("Prometheus exporter", () => {
  it("registers on the caller's registry only, with a valid cumulative histogram", async () => {
    const registry = new Registry();
    const store = track(
      new ObservableStore(
        new MemoryStore(),
        new ObservabilityConfig({ metrics: { openTelemetry: false, registry, labels: { service: "dq" } } }),
      ),
    );
    for (let i = 0; i < 5; i++) await store.save(makeResult({ runId: `p${i}` }));
    await expectStoreError(store.get("nope"), "NOT_FOUND");
    const text = await registry.metrics();
    expect(text).toContain(
      "# HELP truthound_store_operation_duration_seconds Duration of Truthound store operations",
    );
    expect(text).toContain("# TYPE truthound_store_operation_duration_seconds histogram");
    const series = (labels: string) =>
      text
        .split("\n")
        .filter(
          (line) =>
            line.startsWith("truthound_store_operation_duration_seconds_bucket") && line.includes(labels),
        )
        .map((line) => Number(line.split(" ").at(-1)));
    const saveBuckets = series('operation="save",backend="memory",error_type=""');
    expect(saveBuckets).toHaveLength(DEFAULT_BUCKETS.length + 1);
    for (let i = 1; i < saveBuckets.length; i++)
      expect(saveBuckets[i]).toBeGreaterThanOrEqual(saveBuckets[i - 1] as number);
    expect(saveBuckets.at(-1)).toBe(5);
    expect(text).toMatch(
      /truthound_store_operation_duration_seconds_count\{service="dq",operation="save",backend="memory",error_type=""\} 5/,
    );
    expect(text).toContain('error_type="NOT_FOUND"');
    expect(text).not.toMatch(/store_id|instance/);
    // A second store on the same registry shares the metric instead of failing on a duplicate name.
    const second = track(
      new ObservableStore(
        new MemoryStore(),
        new ObservabilityConfig({ metrics: { openTelemetry: false, registry, labels: { service: "dq" } } }),
      ),
    );
    await second.save(makeResult({ runId: "p9" }));
    expect(await registry.metrics()).toMatch(
      /_count\{service="dq",operation="save",backend="memory",error_type=""\} 6/,
    );
  });

  it("serves /metrics over HTTP on 127.0.0.1 by default", async () => {
    const registry = new Registry();
    const store = track(
      new ObservableStore(
        new MemoryStore(),
        new ObservabilityConfig({
          metrics: { openTelemetry: false, registry, enableHttpServer: true, httpPort: 0 },
        }),
      ),
    );
    await store.initialize();
    await store.save(makeResult());
    const address = store.metricsServerAddress;
    expect(address?.host).toBe("127.0.0.1");
    const response = await fetch(`http://127.0.0.1:${address?.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toContain("truthound_store_operation_duration_seconds_count");
    expect((await fetch(`http://127.0.0.1:${address?.port}/other`)).status).toBe(404);
    await store.close();
    await expect(fetch(`http://127.0.0.1:${address?.port}/metrics`)).rejects.toThrow();
  });
});

describe("metrics configuration", () => {
  it("rejects invalid histograms, labels and server settings with CONFIGURATION", () => {
    const bad: unknown[] = [
      { metrics: { histogramBuckets: [0.1, 0.05] } },
      { metrics: { histogramBuckets: [] } },
      { metrics: { histogramBuckets: [0, 1] } },
      { metrics: { labels: { "bad-name": "x" } } },
      { metrics: { enableHttpServer: true } },
      { metrics: { httpPort: 9000 } },
      { metrics: { prefix: "Bad Prefix" } },
      { metrics: { pushGatewayUrl: "http://x" } },
      { tracing: { sampler: "always_on" } },
    ];
    for (const init of bad) {
      expect(() => new ObservabilityConfig(init as never), JSON.stringify(init)).toThrow(
        expect.objectContaining({ code: "CONFIGURATION" }),
      );
    }
  });

  it("a configured registry that is not a prom-client Registry fails initialize with CONFIGURATION", async () => {
    const store = track(
      new ObservableStore(
        new MemoryStore(),
        new ObservabilityConfig({ metrics: { openTelemetry: false, registry: {} } }),
      ),
    );
    await expectStoreError(store.initialize(), "CONFIGURATION");
  });

  it("an optional package that is not installed is a CONFIGURATION error naming it", async () => {
    await expect(
      importOptional("@truthound/not-installed-anywhere", "metrics.registry"),
    ).rejects.toMatchObject({
      code: "CONFIGURATION",
      message: expect.stringContaining("@truthound/not-installed-anywhere"),
    });
  });

  it("presets: production turns everything on, minimal has no tracing, disabled records nothing", () => {
    const production = ObservabilityConfig.production();
    expect([production.audit.enabled, production.metrics.enabled, production.tracing.enabled]).toEqual([
      true,
      true,
      true,
    ]);
    expect(production.audit.level).toBe("STANDARD");
    expect(production.metrics.enableHttpServer).toBe(false);
    const minimal = ObservabilityConfig.minimal();
    expect([minimal.audit.level, minimal.metrics.enabled, minimal.tracing.enabled]).toEqual([
      "MINIMAL",
      true,
      false,
    ]);
    const disabled = ObservabilityConfig.disabled();
    expect([disabled.audit.enabled, disabled.metrics.enabled, disabled.tracing.enabled]).toEqual([
      false,
      false,
      false,
    ]);
    const file = ObservabilityConfig.production({ audit: { backend: "file", filePath: "/var/log/x.jsonl" } });
    expect(file.audit).toMatchObject({ backend: "file", level: "STANDARD" });
  });
});
