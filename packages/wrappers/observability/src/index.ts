export { type AuditEvent, AuditEventType, type AuditSink } from "./audit/audit-event.js";
export { FileAuditBackend, type FileAuditBackendOptions } from "./audit/file-audit-backend.js";
export { MemoryAuditBackend } from "./audit/memory-audit-backend.js";
export {
  type AuditBackendKind,
  type AuditConfig,
  AuditLogLevel,
  DEFAULT_BUCKETS,
  type MetricsConfig,
  ObservabilityConfig,
  type ObservabilityConfigInit,
  type ResolvedAuditConfig,
  type ResolvedMetricsConfig,
  type ResolvedTracingConfig,
  type TracingConfig,
} from "./config.js";
export { currentCorrelationId, withCorrelationId } from "./correlation.js";
export { ObservableStore, type ObservableStoreOptions } from "./observable-store.js";
export { DEFAULT_REDACT_PATTERNS, DEFAULT_SENSITIVE_FIELDS, REDACTED, Redactor } from "./redaction.js";
