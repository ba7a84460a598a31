import { InvalidArgumentError } from "./errors.js";

/** Longest id accepted, in UTF-8 bytes. */
export const MAX_ID_BYTES = 512;

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Rejects ids that could escape a directory or prefix, or that cannot be stored faithfully:
 * empty, too long, control characters, lone surrogates, or a `.`/`..` path segment.
 */
export function validateId(id: unknown, what = "id"): string {
  if (typeof id !== "string") throw new InvalidArgumentError(`${what} must be a string, got ${typeof id}`);
  if (id.length === 0) throw new InvalidArgumentError(`${what} must not be empty`);
  if (Buffer.byteLength(id, "utf8") > MAX_ID_BYTES) {
    throw new InvalidArgumentError(`${what} is longer than ${MAX_ID_BYTES} UTF-8 bytes`);
  }
  if (CONTROL.test(id))
    throw new InvalidArgumentError(`${what} contains a control character: ${JSON.stringify(id)}`);
  if (LONE_SURROGATE.test(id)) throw new InvalidArgumentError(`${what} contains an unpaired surrogate`);
  for (const segment of id.split(/[/\\]/)) {
    if (segment === "." || segment === "..") {
      throw new InvalidArgumentError(`${what} contains a path traversal segment: ${JSON.stringify(id)}`, {
        id,
      });
    }
  }
  return id;
}

const SAFE = /[A-Za-z0-9_.\-~]/;

/**
 * Reversible encoding of an id into one file-name or key segment: `[A-Za-z0-9_.-~]` stay as they are, every
 * other UTF-8 byte becomes `%XX`. A leading `.` or `_` is escaped too, so no encoded id is hidden or collides
 * with `_`-prefixed bookkeeping files. Python-style run ids encode to themselves.
 */
export function encodeIdSegment(id: string): string {
  let out = "";
  let index = 0;
  for (const char of id) {
    const escapeFirst = index === 0 && (char === "." || char === "_");
    if (!escapeFirst && SAFE.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, "utf8"))
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    index += char.length;
  }
  return out;
}

export function decodeIdSegment(segment: string): string {
  if (!/^(?:[A-Za-z0-9_.\-~]|%[0-9A-F]{2})*$/.test(segment)) {
    throw new InvalidArgumentError(`Not an encoded id segment: ${JSON.stringify(segment)}`);
  }
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    throw new InvalidArgumentError(`Not an encoded id segment: ${JSON.stringify(segment)}`, { cause });
  }
}

/** Namespaces and prefixes: a conservative charset, since they become directory names and key prefixes. */
export function validateNamespace(value: unknown, what = "namespace"): string {
  if (
    typeof value !== "string" ||
    !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(value) ||
    value.includes("..")
  ) {
    throw new InvalidArgumentError(
      `${what} must be 1-128 characters of letters, digits, '_', '.', '-', starting with a letter or digit: ${JSON.stringify(value)}`,
    );
  }
  return value;
}
