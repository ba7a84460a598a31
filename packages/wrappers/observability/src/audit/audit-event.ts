export const AuditEventType = {
  CREATE: "create",
  READ: "read",
  DELETE: "delete",
  LIST: "list",
  QUERY: "query",
  COUNT: "count",
  INITIALIZE: "initialize",
  CLOSE: "close",
  BATCH_CREATE: "batch_create",
  BATCH_READ: "batch_read",
  BATCH_DELETE: "batch_delete",
} as const;
export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

/** One audited store operation, already redacted. */
export interface AuditEvent {
  eventId: string;
  eventType: AuditEventType;
  /** ISO 8601, UTC. */
  timestamp: string;
  /** "partial": a batch where some items failed (their errors are in the batch outcomes). */
  status: "success" | "failure" | "partial";
  /** The store method, e.g. "save", "getLatest". */
  operation: string;
  backend: string;
  /** The id the operation is about, when it has one. */
  resourceId?: string;
  /** Items of a batch or results of a listing. */
  itemCount?: number;
  /** Failed items of a partial batch. */
  failedCount?: number;
  correlationId?: string;
  traceId?: string;
  spanId?: string;
  durationMs: number;
  errorType?: string;
  errorMessage?: string;
  /** VERBOSE and DEBUG: the operation's input (query, ids, saved item's asset, status, tags and metadata). */
  input?: Record<string, unknown>;
  /** DEBUG: the start of a saved document. */
  dataPreview?: string;
  /** DEBUG: the error stack. */
  errorStack?: string;
  environment?: string;
  context?: Record<string, string>;
}

/** Where events go. `write` may be async; `flush` and `close` are awaited by the store's flush and close. */
export interface AuditSink {
  write(event: AuditEvent): void | Promise<void>;
  flush?(): void | Promise<void>;
  close?(): void | Promise<void>;
}
