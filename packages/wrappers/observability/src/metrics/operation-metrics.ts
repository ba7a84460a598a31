import type { Attributes, Histogram, MeterProvider } from "@opentelemetry/api";
import type { Histogram as PromHistogram, Registry } from "prom-client";
import type { ResolvedMetricsConfig } from "../config.js";
import { importOptional } from "../optional-module.js";

const METER_NAME = "@truthound/store-observability";

/** Records one finished operation in every configured metrics pipeline. */
export interface OperationMetrics {
  record(operation: string, backend: string, seconds: number, errorType: string | undefined): void;
}

/**
 * OpenTelemetry instrument `{prefix}.operation.duration` (histogram, seconds), attributes `db.operation.name`,
 * `truthound.store.backend`, `error.type` on failures, plus the constant labels. Modelled on the database
 * client convention `db.client.operation.duration` without squatting the `db.client` name.
 */
export async function openTelemetryMetrics(config: ResolvedMetricsConfig): Promise<OperationMetrics> {
  const api = await importOptional<typeof import("@opentelemetry/api")>(
    "@opentelemetry/api",
    "metrics.openTelemetry",
  );
  const provider = (config.meterProvider as MeterProvider | undefined) ?? api.metrics;
  const meter = provider.getMeter(METER_NAME);
  const histogram: Histogram = meter.createHistogram(`${config.prefix}.operation.duration`, {
    description: "Duration of Truthound store operations.",
    unit: "s",
    valueType: api.ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...config.histogramBuckets] },
  });
  // One attribute object per (operation, backend, outcome): a fixed set, reused on the hot path.
  const attributeCache = new Map<string, Attributes>();
  return {
    record(operation, backend, seconds, errorType) {
      const key = `${operation}\u0000${backend}\u0000${errorType ?? ""}`;
      let attributes = attributeCache.get(key);
      if (attributes === undefined) {
        attributes = {
          ...config.labels,
          "db.operation.name": operation,
          "truthound.store.backend": backend,
          ...(errorType === undefined ? {} : { "error.type": errorType }),
        };
        attributeCache.set(key, attributes);
      }
      histogram.record(seconds, attributes);
    },
  };
}

/**
 * prom-client histogram `{prefix}_operation_duration_seconds` (labels operation, backend, error_type, plus the
 * constant labels) on the caller's registry only, never the global one.
 */
export async function prometheusMetrics(config: ResolvedMetricsConfig): Promise<OperationMetrics> {
  const prom = await importOptional<typeof import("prom-client")>("prom-client", "metrics.registry");
  const registry = config.registry as Registry;
  if (typeof registry.registerMetric !== "function" || typeof registry.metrics !== "function") {
    const { StoreConfigurationError } = await import("@truthound/store-core");
    throw new StoreConfigurationError("MetricsConfig: 'registry' must be a prom-client Registry", {
      details: { field: "metrics.registry" },
    });
  }
  const name = `${config.prefix.replaceAll(".", "_")}_operation_duration_seconds`;
  const constant = config.labels;
  const labelNames = [...Object.keys(constant), "operation", "backend", "error_type"];
  const existing = registry.getSingleMetric(name) as PromHistogram<string> | undefined;
  // Several stores share one registry: they share the metric, told apart by the backend label.
  const histogram =
    existing ??
    new prom.Histogram({
      name,
      help: "Duration of Truthound store operations in seconds.",
      labelNames,
      buckets: [...config.histogramBuckets],
      registers: [registry],
    });
  const children = new Map<string, ReturnType<PromHistogram<string>["labels"]>>();
  return {
    record(operation, backend, seconds, errorType) {
      const key = `${operation}\u0000${backend}\u0000${errorType ?? ""}`;
      let child = children.get(key);
      if (child === undefined) {
        child = histogram.labels({ ...constant, operation, backend, error_type: errorType ?? "" });
        children.set(key, child);
      }
      child.observe(seconds);
    },
  };
}

export function combineMetrics(parts: OperationMetrics[]): OperationMetrics | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return {
    record(operation, backend, seconds, errorType) {
      for (const part of parts) part.record(operation, backend, seconds, errorType);
    },
  };
}
