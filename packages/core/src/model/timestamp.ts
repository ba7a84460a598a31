import { InvalidArgumentError } from "../errors.js";

/**
 * An absolute instant with microsecond precision, as Python's `datetime` carries.
 * Naive ISO strings (no offset) are read as UTC.
 */
export interface Instant {
  /** Milliseconds since the epoch. */
  readonly ms: number;
  /** Extra microseconds beyond `ms` (0-999). */
  readonly micros: number;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)?$/i;

export function parseInstant(value: string | Date | number): Instant {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError("Invalid Date");
    return { ms, micros: 0 };
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`Invalid epoch milliseconds: ${value}`);
    return { ms: Math.floor(value), micros: 0 };
  }
  if (typeof value !== "string")
    throw new InvalidArgumentError(`Expected an ISO 8601 time, got ${typeof value}`);
  const m = ISO.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`Invalid ISO 8601 time: ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const fraction = (frac ?? "").padEnd(6, "0").slice(0, 6);
  const millis = Number(fraction.slice(0, 3));
  const micros = Number(fraction.slice(3, 6));
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(/:/g, "");
    const sign = zone[0] === "-" ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), millis);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    throw new InvalidArgumentError(`Invalid ISO 8601 time: ${JSON.stringify(value)}`);
  }
  return { ms: utc - offsetMinutes * 60_000, micros };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Formats like Python's `datetime.isoformat()` of an aware UTC datetime. */
export function formatInstant(instant: Instant): string {
  const d = new Date(instant.ms);
  const year = d.getUTCFullYear();
  const base = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
  const micro = d.getUTCMilliseconds() * 1000 + instant.micros;
  return micro === 0 ? `${base}+00:00` : `${base}.${pad(micro, 6)}+00:00`;
}

export function instantToDate(instant: Instant): Date {
  return new Date(instant.ms);
}

/** Milliseconds since the epoch for any accepted time input. */
export function toEpochMs(value: string | Date | number): number {
  return parseInstant(value).ms;
}
