import type { Context, Span, Tracer, TracerProvider } from "@opentelemetry/api";
import { isStoreError } from "@truthound/store-core";
import type { ResolvedTracingConfig } from "../config.js";
import { importOptional } from "../optional-module.js";

const TRACER_NAME = "@truthound/store-observability";

export interface ActiveOperation {
  traceId: string | undefined;
  spanId: string | undefined;
  /** Runs `work` with this operation's span as the active context (for spans of the wrapped store). */
  within<R>(work: () => R): R;
  end(error: unknown): void;
}

export interface OperationTracer {
  start(operation: string, backend: string, attributes: Record<string, string | number>): ActiveOperation;
}

export function errorType(error: unknown): string {
  if (isStoreError(error)) return error.code;
  if (error instanceof Error) return error.name || "Error";
  return "_OTHER";
}

/**
 * One span per operation: name `{operation} {backend}`, kind INTERNAL, attributes `db.operation.name` and
 * `truthound.store.backend`; on failure status ERROR, `error.type` (the StoreError code) and the exception.
 */
export async function openTelemetryTracer(config: ResolvedTracingConfig): Promise<OperationTracer> {
  const api = await importOptional<typeof import("@opentelemetry/api")>("@opentelemetry/api", "tracing");
  const provider = (config.tracerProvider as TracerProvider | undefined) ?? api.trace;
  const tracer: Tracer = provider.getTracer(TRACER_NAME);
  const { context, trace, SpanKind, SpanStatusCode } = api;
  return {
    start(operation, backend, attributes) {
      const parent: Context = context.active();
      const span: Span = tracer.startSpan(
        `${operation} ${backend}`,
        {
          kind: SpanKind.INTERNAL,
          attributes: { "db.operation.name": operation, "truthound.store.backend": backend, ...attributes },
        },
        parent,
      );
      const spanContext = span.spanContext();
      const active = trace.setSpan(parent, span);
      const recording = span.isRecording();
      return {
        traceId: recording ? spanContext.traceId : undefined,
        spanId: recording ? spanContext.spanId : undefined,
        within: (work) => context.with(active, work),
        end(error) {
          if (error !== undefined) {
            span.setAttribute("error.type", errorType(error));
            span.setStatus({
              code: SpanStatusCode.ERROR,
              message: error instanceof Error ? error.message : String(error),
            });
            if (config.recordExceptions && error instanceof Error) span.recordException(error);
          }
          span.end();
        },
      };
    },
  };
}
