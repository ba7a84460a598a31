export const DEFAULT_SENSITIVE_FIELDS: readonly string[] = [
  "password",
  "passwd",
  "secret",
  "token",
  "api_key",
  "apikey",
  "credential",
  "authorization",
  "private_key",
  "ssn",
  "credit_card",
];

/** Values redacted wherever they appear in a string (emails, US SSNs, 13-19 digit card numbers, key=secret). */
export const DEFAULT_REDACT_PATTERNS: readonly RegExp[] = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  /\b\d{3}-\d{2}-\d{4}\b/g,
  /\b(?:\d[ -]?){13,19}\b/g,
  /\b(password|passwd|secret|token|api[_-]?key)\s*[:=]\s*\S+/gi,
];

export const REDACTED = "[REDACTED]";

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

/**
 * Redacts a JSON-like value: the value of any key matching a sensitive field pattern (a string matches keys
 * that contain it, ignoring case, `-`, `_` and spaces; a RegExp is tested against the key), and every match
 * of the value patterns inside strings. Returns a copy; the input is not changed.
 */
export class Redactor {
  readonly #fields: readonly string[];
  readonly #fieldPatterns: readonly RegExp[];
  readonly #valuePatterns: readonly RegExp[];

  constructor(fields: readonly (string | RegExp)[], valuePatterns: readonly RegExp[]) {
    this.#fields = fields.filter((f): f is string => typeof f === "string").map(normalizeKey);
    this.#fieldPatterns = fields.filter((f): f is RegExp => f instanceof RegExp);
    this.#valuePatterns = valuePatterns.map(
      (p) => new RegExp(p.source, p.flags.includes("g") ? p.flags : `${p.flags}g`),
    );
  }

  isSensitiveKey(key: string): boolean {
    const normalized = normalizeKey(key);
    if (this.#fields.some((field) => normalized.includes(field))) return true;
    return this.#fieldPatterns.some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(key);
    });
  }

  redactString(value: string): string {
    let out = value;
    for (const pattern of this.#valuePatterns) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, REDACTED);
    }
    return out;
  }

  redact<V>(value: V, depth = 0): V {
    if (typeof value === "string") return this.redactString(value) as V;
    if (value === null || typeof value !== "object" || depth > 32) return value;
    if (Array.isArray(value)) return value.map((v) => this.redact(v, depth + 1)) as V;
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = this.isSensitiveKey(key) ? REDACTED : this.redact(inner, depth + 1);
    }
    return out as V;
  }
}
