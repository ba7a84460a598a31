import type { AuditEvent, AuditSink } from "./audit-event.js";

/** Keeps the newest `maxEvents` events in memory, for tests and inspection. */
export class MemoryAuditBackend implements AuditSink {
  readonly #events: AuditEvent[] = [];
  readonly #maxEvents: number;
  #dropped = 0;

  constructor(maxEvents = 10_000) {
    this.#maxEvents = maxEvents;
  }

  write(event: AuditEvent): void {
    this.#events.push(event);
    if (this.#events.length > this.#maxEvents) {
      this.#events.shift();
      this.#dropped++;
    }
  }

  /** Events kept, oldest first. */
  get events(): readonly AuditEvent[] {
    return this.#events;
  }

  /** Events pushed out by `maxEvents`. */
  get dropped(): number {
    return this.#dropped;
  }

  clear(): void {
    this.#events.length = 0;
  }
}
