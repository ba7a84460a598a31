import { randomUUID } from "node:crypto";
import { isStoreError, StoreWriteError } from "@truthound/store-core";
import { AuditLogLevel, type ResolvedAuditConfig } from "../config.js";
import { Redactor } from "../redaction.js";
import { type AuditEvent, AuditEventType, type AuditSink } from "./audit-event.js";
import { FileAuditBackend } from "./file-audit-backend.js";
import { MemoryAuditBackend } from "./memory-audit-backend.js";

const MINIMAL_TYPES: ReadonlySet<AuditEventType> = new Set([
  AuditEventType.CREATE,
  AuditEventType.DELETE,
  AuditEventType.BATCH_CREATE,
  AuditEventType.BATCH_DELETE,
]);

export interface AuditRecord {
  eventType: AuditEventType;
  operation: string;
  backend: string;
  resourceId: string | undefined;
  itemCount: number | undefined;
  /** Batches: how many items failed (0 or undefined: none). */
  failedCount: number | undefined;
  correlationId: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
  durationMs: number;
  error: unknown;
  input: (() => Record<string, unknown>) | undefined;
  /** The saved document; redacted before it is turned into the preview text. */
  preview: (() => unknown) | undefined;
}

const REDACTED_FIELDS = [
  "resourceId",
  "correlationId",
  "errorMessage",
  "errorStack",
  "input",
  "context",
  "environment",
] as const satisfies readonly (keyof AuditEvent)[];

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  // Drop a partial character at the cut.
  return bytes
    .subarray(0, maxBytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

/** Filters operations by level, builds and redacts events, and hands them to the configured sink. */
export class AuditLogger {
  readonly #config: ResolvedAuditConfig;
  readonly #sink: AuditSink;
  readonly #redactor: Redactor | undefined;
  readonly #environment: string | undefined;
  #sinkFailure: Error | undefined;

  constructor(config: ResolvedAuditConfig, environment: string | undefined) {
    this.#config = config;
    this.#environment = environment;
    this.#redactor = config.redactSensitive
      ? new Redactor(config.sensitiveFields, config.redactPatterns)
      : undefined;
    if (config.backend === "file") {
      const file = new FileAuditBackend({
        filePath: config.filePath as string,
        maxFileBytes: config.maxFileBytes,
        maxFiles: config.maxFiles,
      });
      file.onError = config.onError;
      this.#sink = file;
    } else if (config.backend === "custom") {
      this.#sink = config.sink as AuditSink;
    } else {
      this.#sink = new MemoryAuditBackend(config.maxEvents);
    }
  }

  get sink(): AuditSink {
    return this.#sink;
  }

  /** Whether an operation of this type is recorded at all (checked before any work is done for it). */
  wants(eventType: AuditEventType, failed: boolean): boolean {
    switch (this.#config.level) {
      case AuditLogLevel.MINIMAL:
        return failed || MINIMAL_TYPES.has(eventType);
      case AuditLogLevel.STANDARD:
        return eventType !== AuditEventType.INITIALIZE && eventType !== AuditEventType.CLOSE;
      default:
        return true;
    }
  }

  get detailed(): boolean {
    return this.#config.level === AuditLogLevel.VERBOSE || this.#config.level === AuditLogLevel.DEBUG;
  }

  record(r: AuditRecord, now: number): void {
    const failed = r.error !== undefined;
    const partial = !failed && (r.failedCount ?? 0) > 0;
    if (!this.wants(r.eventType, failed || partial)) return;
    const event: AuditEvent = {
      eventId: randomUUID(),
      eventType: r.eventType,
      timestamp: new Date(now).toISOString(),
      status: failed ? "failure" : partial ? "partial" : "success",
      operation: r.operation,
      backend: r.backend,
      durationMs: r.durationMs,
    };
    if (r.resourceId !== undefined) event.resourceId = r.resourceId;
    if (r.itemCount !== undefined) event.itemCount = r.itemCount;
    if (partial) event.failedCount = r.failedCount;
    if (r.correlationId !== undefined) event.correlationId = r.correlationId;
    if (r.traceId !== undefined) event.traceId = r.traceId;
    if (r.spanId !== undefined) event.spanId = r.spanId;
    if (failed) {
      event.errorType = isStoreError(r.error) ? r.error.code : ((r.error as Error)?.name ?? "Error");
      event.errorMessage = r.error instanceof Error ? r.error.message : String(r.error);
    }
    const level = this.#config.level;
    if ((level === AuditLogLevel.VERBOSE || level === AuditLogLevel.DEBUG) && r.input)
      event.input = r.input();
    if (level === AuditLogLevel.DEBUG) {
      if (r.preview) {
        const document = this.#redact(r.preview());
        event.dataPreview = truncateUtf8(JSON.stringify(document) ?? "", this.#config.maxDataPreviewBytes);
      }
      if (failed && r.error instanceof Error && r.error.stack) event.errorStack = r.error.stack;
    }
    if (this.#environment !== undefined) event.environment = this.#environment;
    if (Object.keys(this.#config.extraContext).length > 0) event.context = { ...this.#config.extraContext };
    // Every caller-supplied part of the event; the generated ids and the timestamp are left as they are.
    for (const key of REDACTED_FIELDS) {
      if (event[key] !== undefined)
        (event as unknown as Record<string, unknown>)[key] = this.#redact(event[key]);
    }
    this.#write(event);
  }

  #redact<V>(value: V): V {
    return this.#redactor ? this.#redactor.redact(value) : value;
  }

  #write(event: AuditEvent): void {
    try {
      const written = this.#sink.write(event);
      if (written instanceof Promise) written.catch((error: unknown) => this.#failed(error));
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    const failure =
      error instanceof StoreWriteError
        ? error
        : new StoreWriteError("audit sink: write failed", { cause: error });
    this.#sinkFailure = failure;
    this.#config.onError?.(failure);
  }

  /** Waits for buffered events; throws the first write failure since the last flush. */
  async flush(): Promise<void> {
    await this.#sink.flush?.();
    const failure = this.#sinkFailure;
    this.#sinkFailure = undefined;
    if (failure) throw failure;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#sink.close?.();
  }
}
