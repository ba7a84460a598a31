import { type OptionsSpec, StoreConfigurationError, validateOptions } from "@truthound/store-core";
import type { AuditSink } from "./audit/audit-event.js";
import { DEFAULT_REDACT_PATTERNS, DEFAULT_SENSITIVE_FIELDS } from "./redaction.js";

export const AuditLogLevel = {
  /** Writes (save, delete, batches, clear) and every failure. */
  MINIMAL: "MINIMAL",
  /** Every operation except initialize and close. */
  STANDARD: "STANDARD",
  /** Every operation, with a summary of its input (ids, query, the saved item's asset, status, tags, metadata). */
  VERBOSE: "VERBOSE",
  /** VERBOSE plus a preview of saved documents and error stacks. */
  DEBUG: "DEBUG",
} as const;
export type AuditLogLevel = (typeof AuditLogLevel)[keyof typeof AuditLogLevel];

export type AuditBackendKind = "memory" | "file" | "custom";

export interface AuditConfig {
  enabled?: boolean;
  /** Default `STANDARD`. */
  level?: AuditLogLevel;
  /** Default "memory". "file" needs `filePath`; "custom" needs `sink`. */
  backend?: AuditBackendKind;
  /** JSON lines file (backend "file"); there is no default path. */
  filePath?: string;
  /** Rotate the file when it would grow past this many bytes (default 10 MiB). */
  maxFileBytes?: number;
  /** Rotated files kept: `audit.jsonl.1` ... `.N` (default 5). */
  maxFiles?: number;
  /** Receives every event (backend "custom"). */
  sink?: AuditSink;
  /** Events the memory backend keeps, newest last (default 10,000). */
  maxEvents?: number;
  /** Default true. */
  redactSensitive?: boolean;
  /** Keys whose values are redacted anywhere in an event, metadata included (strings match by substring). */
  sensitiveFields?: readonly (string | RegExp)[];
  /** Patterns redacted inside every string of an event. */
  redactPatterns?: readonly RegExp[];
  /** DEBUG: most bytes of a saved document's preview (default 1,024). */
  maxDataPreviewBytes?: number;
  /** Fields added to every event (e.g. service, environment). */
  extraContext?: Record<string, string>;
  /** Receives audit write failures as they happen (they are also thrown by `flush()` and `close()`). */
  onError?: (error: Error) => void;
}

export interface MetricsConfig {
  enabled?: boolean;
  /** Record through the OpenTelemetry metrics API (`@opentelemetry/api`). Default true. */
  openTelemetry?: boolean;
  /** A MeterProvider; default the global one registered with `@opentelemetry/api`. */
  meterProvider?: unknown;
  /** A prom-client `Registry` to register the Prometheus metrics on (`prom-client`). */
  registry?: unknown;
  /** Metric name prefix (default "truthound.store"; Prometheus names use "_" for "."). */
  prefix?: string;
  /** Histogram bucket boundaries in seconds, strictly increasing (default the OTel database advisory buckets). */
  histogramBuckets?: readonly number[];
  /** Constant attributes on every measurement (keep them low-cardinality). */
  labels?: Record<string, string>;
  /** Serve `registry` over HTTP (needs `registry`). */
  enableHttpServer?: boolean;
  /** Default "127.0.0.1". */
  httpHost?: string;
  /** Default 9464; 0 picks a free port. */
  httpPort?: number;
  /** Default "/metrics". */
  httpPath?: string;
}

export interface TracingConfig {
  enabled?: boolean;
  /** A TracerProvider; default the global one registered with `@opentelemetry/api`. */
  tracerProvider?: unknown;
  /** Record the exception as a span event on failure (default true). */
  recordExceptions?: boolean;
}

export interface ObservabilityConfigInit {
  audit?: AuditConfig;
  metrics?: MetricsConfig;
  tracing?: TracingConfig;
  /** Correlation id of calls made outside `withCorrelationId` (default: none). */
  correlationId?: string;
  /** Recorded in every audit event and as the `deployment.environment.name` attribute. */
  environment?: string;
}

export const DEFAULT_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

const AUDIT_SPEC: OptionsSpec<AuditConfig> = {
  enabled: { type: "boolean" },
  level: { type: "string", oneOf: Object.values(AuditLogLevel) },
  backend: { type: "string", oneOf: ["memory", "file", "custom"] },
  filePath: { type: "string" },
  maxFileBytes: { type: "number", integer: true, min: 1024 },
  maxFiles: { type: "number", integer: true, min: 1 },
  sink: { type: "object" },
  maxEvents: { type: "number", integer: true, min: 1 },
  redactSensitive: { type: "boolean" },
  sensitiveFields: {
    type: "array",
    check: (v) =>
      (v as unknown[]).every((f) => (typeof f === "string" && f.length > 0) || f instanceof RegExp)
        ? undefined
        : "must hold non-empty strings or RegExps",
  },
  redactPatterns: {
    type: "array",
    check: (v) => ((v as unknown[]).every((f) => f instanceof RegExp) ? undefined : "must hold RegExps"),
  },
  maxDataPreviewBytes: { type: "number", integer: true, min: 0 },
  extraContext: { type: "object" },
  onError: { type: "function" },
};

const METRICS_SPEC: OptionsSpec<MetricsConfig> = {
  enabled: { type: "boolean" },
  openTelemetry: { type: "boolean" },
  meterProvider: { type: "object" },
  registry: { type: "object" },
  prefix: {
    type: "string",
    check: (v) =>
      /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(v as string) ? undefined : "must look like 'truthound.store'",
  },
  histogramBuckets: {
    type: "array",
    check: (v) => {
      const b = v as unknown[];
      if (b.length === 0) return "must not be empty";
      for (let i = 0; i < b.length; i++) {
        const x = b[i];
        if (typeof x !== "number" || !Number.isFinite(x) || x <= 0)
          return "must hold positive finite numbers";
        if (i > 0 && x <= (b[i - 1] as number)) return "must be strictly increasing";
      }
      return undefined;
    },
  },
  labels: {
    type: "object",
    check: (v) => {
      for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) return `label name '${key}' is not a valid metric label`;
        if (typeof value !== "string") return `label '${key}' must be a string`;
      }
      return undefined;
    },
  },
  enableHttpServer: { type: "boolean" },
  httpHost: { type: "string" },
  httpPort: { type: "number", integer: true, min: 0, max: 65535 },
  httpPath: {
    type: "string",
    check: (v) => ((v as string).startsWith("/") ? undefined : "must start with '/'"),
  },
};

const TRACING_SPEC: OptionsSpec<TracingConfig> = {
  enabled: { type: "boolean" },
  tracerProvider: { type: "object" },
  recordExceptions: { type: "boolean" },
};

const INIT_SPEC: OptionsSpec<ObservabilityConfigInit> = {
  audit: { type: "object" },
  metrics: { type: "object" },
  tracing: { type: "object" },
  correlationId: { type: "string" },
  environment: { type: "string" },
};

export interface ResolvedAuditConfig {
  enabled: boolean;
  level: AuditLogLevel;
  backend: AuditBackendKind;
  filePath: string | undefined;
  maxFileBytes: number;
  maxFiles: number;
  sink: AuditSink | undefined;
  maxEvents: number;
  redactSensitive: boolean;
  sensitiveFields: readonly (string | RegExp)[];
  redactPatterns: readonly RegExp[];
  maxDataPreviewBytes: number;
  extraContext: Record<string, string>;
  onError: ((error: Error) => void) | undefined;
}

export interface ResolvedMetricsConfig {
  enabled: boolean;
  openTelemetry: boolean;
  meterProvider: unknown;
  registry: unknown;
  prefix: string;
  histogramBuckets: readonly number[];
  labels: Record<string, string>;
  enableHttpServer: boolean;
  httpHost: string;
  httpPort: number;
  httpPath: string;
}

export interface ResolvedTracingConfig {
  enabled: boolean;
  tracerProvider: unknown;
  recordExceptions: boolean;
}

function fail(field: string, why: string): never {
  throw new StoreConfigurationError(`ObservabilityConfig: ${field} ${why}`, { details: { field } });
}

function resolveAudit(input: AuditConfig | undefined): ResolvedAuditConfig {
  const o = validateOptions("AuditConfig", input, AUDIT_SPEC);
  const backend = o.backend ?? "memory";
  const enabled = o.enabled ?? true;
  if (enabled && backend === "file" && o.filePath === undefined)
    fail("audit.filePath", "is required with backend 'file'");
  if (enabled && backend === "custom" && (o.sink === undefined || typeof o.sink.write !== "function")) {
    fail("audit.sink", "with a write(event) method is required with backend 'custom'");
  }
  if (o.filePath !== undefined && backend !== "file")
    fail("audit.filePath", "only applies to backend 'file'");
  if (o.sink !== undefined && backend !== "custom") fail("audit.sink", "only applies to backend 'custom'");
  for (const [key, value] of Object.entries(o.extraContext ?? {})) {
    if (typeof value !== "string") fail(`audit.extraContext.${key}`, "must be a string");
  }
  return {
    enabled,
    level: o.level ?? AuditLogLevel.STANDARD,
    backend,
    filePath: o.filePath,
    maxFileBytes: o.maxFileBytes ?? 10 * 1024 * 1024,
    maxFiles: o.maxFiles ?? 5,
    sink: o.sink,
    maxEvents: o.maxEvents ?? 10_000,
    redactSensitive: o.redactSensitive ?? true,
    sensitiveFields: o.sensitiveFields ?? DEFAULT_SENSITIVE_FIELDS,
    redactPatterns: o.redactPatterns ?? DEFAULT_REDACT_PATTERNS,
    maxDataPreviewBytes: o.maxDataPreviewBytes ?? 1024,
    extraContext: { ...(o.extraContext ?? {}) },
    onError: o.onError,
  };
}

function resolveMetrics(input: MetricsConfig | undefined): ResolvedMetricsConfig {
  const o = validateOptions("MetricsConfig", input, METRICS_SPEC);
  const enabled = o.enabled ?? true;
  if (o.enableHttpServer && o.registry === undefined)
    fail("metrics.enableHttpServer", "needs metrics.registry");
  if (!o.enableHttpServer) {
    for (const field of ["httpHost", "httpPort", "httpPath"] as const) {
      if (o[field] !== undefined) fail(`metrics.${field}`, "only applies with enableHttpServer: true");
    }
  }
  return {
    enabled,
    openTelemetry: o.openTelemetry ?? true,
    meterProvider: o.meterProvider,
    registry: o.registry,
    prefix: o.prefix ?? "truthound.store",
    histogramBuckets: o.histogramBuckets ?? DEFAULT_BUCKETS,
    labels: { ...(o.labels ?? {}) },
    enableHttpServer: o.enableHttpServer ?? false,
    httpHost: o.httpHost ?? "127.0.0.1",
    httpPort: o.httpPort ?? 9464,
    httpPath: o.httpPath ?? "/metrics",
  };
}

function resolveTracing(input: TracingConfig | undefined): ResolvedTracingConfig {
  const o = validateOptions("TracingConfig", input, TRACING_SPEC);
  return {
    enabled: o.enabled ?? true,
    tracerProvider: o.tracerProvider,
    recordExceptions: o.recordExceptions ?? true,
  };
}

/**
 * What `ObservableStore` records. A section that is not given is off; a section given is on unless it says
 * `enabled: false`. Validated when constructed: unknown or mistyped fields are CONFIGURATION errors.
 */
export class ObservabilityConfig {
  readonly audit: ResolvedAuditConfig;
  readonly metrics: ResolvedMetricsConfig;
  readonly tracing: ResolvedTracingConfig;
  readonly correlationId: string | undefined;
  readonly environment: string | undefined;

  constructor(init: ObservabilityConfigInit = {}) {
    const o = validateOptions("ObservabilityConfig", init, INIT_SPEC);
    this.audit = o.audit === undefined ? { ...resolveAudit({}), enabled: false } : resolveAudit(o.audit);
    this.metrics =
      o.metrics === undefined ? { ...resolveMetrics({}), enabled: false } : resolveMetrics(o.metrics);
    this.tracing =
      o.tracing === undefined ? { ...resolveTracing({}), enabled: false } : resolveTracing(o.tracing);
    this.correlationId = o.correlationId;
    this.environment = o.environment;
  }

  /**
   * Audit at STANDARD with redaction, OpenTelemetry metrics and tracing through the globally registered
   * providers. Pass overrides for each section (e.g. a file audit backend or a Prometheus registry).
   */
  static production(overrides: ObservabilityConfigInit = {}): ObservabilityConfig {
    return new ObservabilityConfig({
      ...overrides,
      audit: { level: AuditLogLevel.STANDARD, redactSensitive: true, ...overrides.audit },
      metrics: { ...overrides.metrics },
      tracing: { ...overrides.tracing },
    });
  }

  /** Audit of writes and failures only, and metrics; no tracing. */
  static minimal(overrides: ObservabilityConfigInit = {}): ObservabilityConfig {
    return new ObservabilityConfig({
      ...overrides,
      audit: { level: AuditLogLevel.MINIMAL, ...overrides.audit },
      metrics: { ...overrides.metrics },
      tracing: { enabled: false, ...overrides.tracing },
    });
  }

  /** Nothing recorded: the store behaves like the one it wraps. */
  static disabled(): ObservabilityConfig {
    return new ObservabilityConfig({
      audit: { enabled: false },
      metrics: { enabled: false },
      tracing: { enabled: false },
    });
  }
}
