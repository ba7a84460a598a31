import {
  type BatchOutcome,
  type Clock,
  type ItemAdapter,
  type ItemWithEtag,
  type IterQueryOptions,
  type OperationOptions,
  type OptionsSpec,
  type Page,
  type SaveOptions,
  type SaveResult,
  type Store,
  type StoreCapabilities,
  StoreClosedError,
  StoreConfigurationError,
  type StoreQuery,
  systemClock,
  type ValidationResult,
  validateOptions,
  validationResultAdapter,
} from "@truthound/store-core";
import type { Registry } from "prom-client";
import { type AuditEventType, type AuditSink, AuditEventType as Type } from "./audit/audit-event.js";
import { AuditLogger } from "./audit/audit-logger.js";
import { MemoryAuditBackend } from "./audit/memory-audit-backend.js";
import { ObservabilityConfig, type ObservabilityConfigInit } from "./config.js";
import { currentCorrelationId } from "./correlation.js";
import { MetricsServer } from "./metrics/metrics-server.js";
import {
  combineMetrics,
  type OperationMetrics,
  openTelemetryMetrics,
  prometheusMetrics,
} from "./metrics/operation-metrics.js";
import {
  type ActiveOperation,
  errorType,
  type OperationTracer,
  openTelemetryTracer,
} from "./tracing/operation-tracer.js";

export interface ObservableStoreOptions<T = ValidationResult> {
  /** Turns saved items into documents for VERBOSE/DEBUG audit input and previews. */
  adapter?: ItemAdapter<T>;
  /** Time source of audit timestamps. */
  clock?: Clock;
}

const SPEC: OptionsSpec<ObservableStoreOptions<unknown>> = {
  adapter: { type: "object" },
  clock: { type: "object" },
};

interface OperationInfo {
  operation: string;
  eventType: AuditEventType;
  resourceId?: string | undefined;
  input?: (() => Record<string, unknown>) | undefined;
  preview?: (() => unknown) | undefined;
  count?: ((value: unknown) => number | undefined) | undefined;
  /** Batches: the number of failed items in the outcomes. */
  failures?: ((value: unknown) => number) | undefined;
}

const NO_TIMING = { start: 0 };

/**
 * Wraps any `Store` with an audit log, metrics and traces; behaves exactly like the wrapped store otherwise
 * (same results, same errors, same capabilities).
 */
export class ObservableStore<T = ValidationResult> implements Store<T> {
  readonly config: ObservabilityConfig;
  readonly #inner: Store<T>;
  readonly #adapter: ItemAdapter<T>;
  readonly #clock: Clock;
  readonly #audit: AuditLogger | undefined;
  #metrics: OperationMetrics | undefined;
  #tracer: OperationTracer | undefined;
  #server: MetricsServer | undefined;
  #ready = false;
  #setup: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(
    store: Store<T>,
    config: ObservabilityConfig | ObservabilityConfigInit = new ObservabilityConfig(),
    options: ObservableStoreOptions<T> = {},
  ) {
    if (store === null || typeof store !== "object" || typeof store.getWithEtag !== "function") {
      throw new StoreConfigurationError("ObservableStore: the first argument must be a Store");
    }
    const o = validateOptions("ObservableStore", options, SPEC as OptionsSpec<ObservableStoreOptions<T>>);
    this.#inner = store;
    this.config = config instanceof ObservabilityConfig ? config : new ObservabilityConfig(config);
    this.#adapter = o.adapter ?? (validationResultAdapter as unknown as ItemAdapter<T>);
    this.#clock = o.clock ?? systemClock;
    this.#audit = this.config.audit.enabled
      ? new AuditLogger(this.config.audit, this.config.environment)
      : undefined;
    this.#ready = !this.config.metrics.enabled && !this.config.tracing.enabled;
  }

  get backend(): string {
    return this.#inner.backend;
  }

  get capabilities(): StoreCapabilities {
    return this.#inner.capabilities;
  }

  /** The wrapped store. */
  get store(): Store<T> {
    return this.#inner;
  }

  /** The audit sink (a `MemoryAuditBackend` with the default backend), or undefined when audit is off. */
  get auditSink(): AuditSink | undefined {
    return this.#audit?.sink;
  }

  /** Events of the memory audit backend; throws when another backend is configured. */
  get auditEvents() {
    const sink = this.#audit?.sink;
    if (!(sink instanceof MemoryAuditBackend)) {
      throw new StoreConfigurationError("ObservableStore.auditEvents needs audit backend 'memory'");
    }
    return sink.events;
  }

  /** Where the `/metrics` server listens, once initialized with `enableHttpServer`. */
  get metricsServerAddress(): { host: string; port: number } | undefined {
    return this.#server?.address;
  }

  /** Loads the optional OpenTelemetry and prom-client modules that the config asks for. */
  async #prepare(): Promise<void> {
    this.#setup ??= (async () => {
      const m = this.config.metrics;
      if (m.enabled) {
        const parts: OperationMetrics[] = [];
        if (m.openTelemetry) parts.push(await openTelemetryMetrics(m));
        if (m.registry !== undefined) parts.push(await prometheusMetrics(m));
        this.#metrics = combineMetrics(parts);
        if (m.enableHttpServer) {
          this.#server = await MetricsServer.start(
            m.registry as Registry,
            m.httpHost,
            m.httpPort,
            m.httpPath,
          );
        }
      }
      if (this.config.tracing.enabled) this.#tracer = await openTelemetryTracer(this.config.tracing);
      this.#ready = true;
    })().catch((error: unknown) => {
      this.#setup = undefined;
      throw error;
    });
    return this.#setup;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError("observable store is closed", { backend: this.backend });
  }

  /** Times, traces and audits one operation; the result and any error pass through unchanged. */
  async #observe<R>(info: OperationInfo, work: () => Promise<R>): Promise<R> {
    this.#assertOpen();
    if (!this.#ready) await this.#prepare();
    const tracer = this.#tracer;
    const metrics = this.#metrics;
    const audit = this.#audit;
    if (tracer === undefined && metrics === undefined && audit === undefined) return work();
    const correlationId = currentCorrelationId() ?? this.config.correlationId;
    const span: ActiveOperation | undefined = tracer?.start(info.operation, this.backend, {
      ...(correlationId === undefined ? {} : { "truthound.correlation_id": correlationId }),
    });
    const timing = metrics !== undefined || audit !== undefined ? { start: performance.now() } : NO_TIMING;
    let result: R | undefined;
    let failure: unknown;
    try {
      result = await (span ? span.within(work) : work());
      return result;
    } catch (error) {
      failure = error ?? new Error("undefined thrown");
      throw error;
    } finally {
      const seconds = (performance.now() - timing.start) / 1000;
      span?.end(failure);
      metrics?.record(
        info.operation,
        this.backend,
        seconds,
        failure === undefined ? undefined : errorType(failure),
      );
      audit?.record(
        {
          eventType: info.eventType,
          operation: info.operation,
          backend: this.backend,
          resourceId: info.resourceId,
          itemCount: failure === undefined && info.count ? info.count(result) : undefined,
          failedCount: failure === undefined && info.failures ? info.failures(result) : undefined,
          correlationId,
          traceId: span?.traceId,
          spanId: span?.spanId,
          durationMs: seconds * 1000,
          error: failure,
          input: info.input,
          preview: info.preview,
        },
        this.#clock.now(),
      );
    }
  }

  #itemSummary(item: T): Record<string, unknown> {
    const entry = this.#adapter.entryOf(item);
    const document = this.#adapter.toDocument(item);
    return {
      dataAsset: entry.dataAsset,
      status: entry.status,
      runTime: new Date(entry.runTimeMs).toISOString(),
      tags: entry.tags,
      metadata: document.metadata,
    };
  }

  #safeId(item: T): string | undefined {
    try {
      return String(this.#adapter.idOf(item));
    } catch {
      return undefined;
    }
  }

  async initialize(options?: OperationOptions): Promise<void> {
    this.#assertOpen();
    await this.#prepare();
    return this.#observe({ operation: "initialize", eventType: Type.INITIALIZE }, () =>
      this.#inner.initialize(options),
    );
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      const started = performance.now();
      let failure: unknown;
      try {
        await this.#inner.close();
      } catch (error) {
        failure = error;
      }
      this.#closed = true;
      this.#audit?.record(
        {
          eventType: Type.CLOSE,
          operation: "close",
          backend: this.backend,
          resourceId: undefined,
          itemCount: undefined,
          failedCount: undefined,
          correlationId: currentCorrelationId() ?? this.config.correlationId,
          traceId: undefined,
          spanId: undefined,
          durationMs: performance.now() - started,
          error: failure,
          input: undefined,
          preview: undefined,
        },
        this.#clock.now(),
      );
      const server = this.#server;
      this.#server = undefined;
      await server?.close();
      await this.#audit?.close();
      if (failure !== undefined) throw failure;
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Waits for buffered audit events to be written; throws a failed audit write. */
  async flush(): Promise<void> {
    await this.#audit?.flush();
  }

  save(item: T, options?: SaveOptions): Promise<string> {
    return this.#observe(
      {
        operation: "save",
        eventType: Type.CREATE,
        resourceId: this.#safeId(item),
        input: () => ({ item: this.#itemSummary(item), conditional: conditionOf(options) }),
        preview: () => this.#adapter.toDocument(item),
      },
      () => this.#inner.save(item, options),
    );
  }

  saveWithEtag(item: T, options?: SaveOptions): Promise<SaveResult> {
    return this.#observe(
      {
        operation: "save",
        eventType: Type.CREATE,
        resourceId: this.#safeId(item),
        input: () => ({ item: this.#itemSummary(item), conditional: conditionOf(options) }),
        preview: () => this.#adapter.toDocument(item),
      },
      () => this.#inner.saveWithEtag(item, options),
    );
  }

  get(id: string, options?: OperationOptions): Promise<T> {
    return this.#observe({ operation: "get", eventType: Type.READ, resourceId: id }, () =>
      this.#inner.get(id, options),
    );
  }

  getWithEtag(id: string, options?: OperationOptions): Promise<ItemWithEtag<T>> {
    return this.#observe({ operation: "get", eventType: Type.READ, resourceId: id }, () =>
      this.#inner.getWithEtag(id, options),
    );
  }

  exists(id: string, options?: OperationOptions): Promise<boolean> {
    return this.#observe({ operation: "exists", eventType: Type.READ, resourceId: id }, () =>
      this.#inner.exists(id, options),
    );
  }

  delete(id: string, options?: OperationOptions): Promise<boolean> {
    return this.#observe({ operation: "delete", eventType: Type.DELETE, resourceId: id }, () =>
      this.#inner.delete(id, options),
    );
  }

  listIds(query?: StoreQuery, options?: OperationOptions): Promise<string[]> {
    return this.#observe(
      { operation: "listIds", eventType: Type.LIST, input: () => ({ query }), count: lengthOf },
      () => this.#inner.listIds(query, options),
    );
  }

  listIdsPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<string>> {
    return this.#observe(
      { operation: "listIds", eventType: Type.LIST, input: () => ({ query }), count: pageLength },
      () => this.#inner.listIdsPage(query, options),
    );
  }

  query(query?: StoreQuery, options?: OperationOptions): Promise<T[]> {
    return this.#observe(
      { operation: "query", eventType: Type.QUERY, input: () => ({ query }), count: lengthOf },
      () => this.#inner.query(query, options),
    );
  }

  queryPage(query?: StoreQuery, options?: OperationOptions): Promise<Page<T>> {
    return this.#observe(
      { operation: "query", eventType: Type.QUERY, input: () => ({ query }), count: pageLength },
      () => this.#inner.queryPage(query, options),
    );
  }

  /** One operation ("iterQuery") from the first item to the end of the iteration (or its failure). */
  async *iterQuery(query?: StoreQuery, options?: IterQueryOptions): AsyncIterable<T> {
    const iterator = this.#inner.iterQuery(query, options)[Symbol.asyncIterator]();
    let yielded = 0;
    let finish: ((error: unknown) => void) | undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = (error) => (error === undefined ? resolve() : reject(error));
    });
    done.catch(() => undefined);
    const observed = this.#observe(
      {
        operation: "iterQuery",
        eventType: Type.QUERY,
        input: () => ({ query, batchSize: options?.batchSize }),
        count: () => yielded,
      },
      () => done,
    );
    observed.catch(() => undefined);
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        yielded++;
        yield next.value;
      }
      finish?.(undefined);
    } catch (error) {
      finish?.(error);
      await observed.catch(() => undefined);
      throw error;
    } finally {
      finish?.(undefined);
      await iterator.return?.();
    }
    await observed;
  }

  count(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    return this.#observe({ operation: "count", eventType: Type.COUNT, input: () => ({ query }) }, () =>
      this.#inner.count(query, options),
    );
  }

  getLatest(dataAsset: string, options?: OperationOptions): Promise<T | undefined> {
    return this.#observe({ operation: "getLatest", eventType: Type.READ, input: () => ({ dataAsset }) }, () =>
      this.#inner.getLatest(dataAsset, options),
    );
  }

  clear(query?: StoreQuery, options?: OperationOptions): Promise<number> {
    return this.#observe(
      {
        operation: "clear",
        eventType: Type.BATCH_DELETE,
        input: () => ({ query }),
        count: (n) => n as number,
      },
      () => this.#inner.clear(query, options),
    );
  }

  saveMany(items: readonly T[], options?: OperationOptions): Promise<BatchOutcome<string>[]> {
    return this.#observe(
      {
        operation: "saveMany",
        eventType: Type.BATCH_CREATE,
        input: () => ({ ids: items.map((item) => this.#safeId(item)) }),
        count: lengthOf,
        failures: failedOutcomes,
      },
      () => this.#inner.saveMany(items, options),
    );
  }

  getMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<T>[]> {
    return this.#observe(
      {
        operation: "getMany",
        eventType: Type.BATCH_READ,
        input: () => ({ ids }),
        count: lengthOf,
        failures: failedOutcomes,
      },
      () => this.#inner.getMany(ids, options),
    );
  }

  deleteMany(ids: readonly string[], options?: OperationOptions): Promise<BatchOutcome<boolean>[]> {
    return this.#observe(
      {
        operation: "deleteMany",
        eventType: Type.BATCH_DELETE,
        input: () => ({ ids }),
        count: lengthOf,
        failures: failedOutcomes,
      },
      () => this.#inner.deleteMany(ids, options),
    );
  }
}

function conditionOf(options: SaveOptions | undefined): string | undefined {
  if (options?.ifMatch !== undefined) return "ifMatch";
  if (options?.ifNoneMatch !== undefined) return "ifNoneMatch";
  return undefined;
}

function lengthOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

function failedOutcomes(value: unknown): number {
  return (value as BatchOutcome<unknown>[]).filter((outcome) => !outcome.ok).length;
}

function pageLength(value: unknown): number | undefined {
  return (value as Page<unknown> | undefined)?.items.length;
}
