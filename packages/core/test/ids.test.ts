import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeIdSegment,
  encodeIdSegment,
  isStoreError,
  MAX_ID_BYTES,
  validateId,
  validateNamespace,
} from "../src/index.js";

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isStoreError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return undefined;
}

function isValidId(id: string): boolean {
  return codeOf(() => validateId(id)) === undefined;
}

describe("validateId", () => {
  it.each([
    "run_20240101_000000_abcdef01",
    "a/b",
    "a\\b",
    "a..b",
    "...",
    ".hidden",
    "c:d",
    "%2F",
    "日本語",
    "😀",
    "x".repeat(MAX_ID_BYTES),
  ])("accepts %j", (id) => {
    expect(validateId(id)).toBe(id);
  });

  it.each([
    "",
    ".",
    "..",
    "../x",
    "./x",
    "a/../b",
    "a/./b",
    "x/..",
    "..\\x",
    "a\\..\\b",
    "a\u0000b",
    "a\nb",
    "\u0085",
    "\ud800",
    "a\udc00",
    "x".repeat(MAX_ID_BYTES + 1),
    "é".repeat(MAX_ID_BYTES / 2 + 1),
  ])("rejects %j with INVALID_ARGUMENT", (id) => {
    expect(codeOf(() => validateId(id))).toBe("INVALID_ARGUMENT");
  });

  it("rejects non-strings", () => {
    for (const id of [undefined, null, 1, {}, ["a"]])
      expect(codeOf(() => validateId(id))).toBe("INVALID_ARGUMENT");
  });
});

describe("encodeIdSegment / decodeIdSegment", () => {
  const anyId = fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).filter(isValidId);

  it("round-trips every valid id (property)", () => {
    fc.assert(
      fc.property(anyId, (id) => {
        expect(decodeIdSegment(encodeIdSegment(id))).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  it("produces one safe, non-hidden segment (property)", () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const segment = encodeIdSegment(id);
        expect(segment).toMatch(/^[A-Za-z0-9_.\-~%]+$/);
        expect(segment.startsWith(".")).toBe(false);
        expect(segment.startsWith("_")).toBe(false);
        expect(segment).not.toContain("/");
        expect(segment).not.toContain("\\");
      }),
      { numRuns: 500 },
    );
  });

  it("is injective (property)", () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        if (a !== b) expect(encodeIdSegment(a)).not.toBe(encodeIdSegment(b));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves Python run ids unchanged and escapes the rest", () => {
    expect(encodeIdSegment("run_20240101_000000_abcdef01")).toBe("run_20240101_000000_abcdef01");
    expect(encodeIdSegment("a/b")).toBe("a%2Fb");
    expect(encodeIdSegment(".x")).toBe("%2Ex");
    expect(encodeIdSegment("_x")).toBe("%5Fx");
    expect(encodeIdSegment("%")).toBe("%25");
    expect(encodeIdSegment("é")).toBe("%C3%A9");
  });

  it.each(["a/b", "%zz", "%c3%a9", "%", "a b", "%C3"])(
    "decodeIdSegment rejects %j with INVALID_ARGUMENT",
    (s) => {
      expect(codeOf(() => decodeIdSegment(s))).toBe("INVALID_ARGUMENT");
    },
  );
});

describe("validateNamespace", () => {
  it.each(["default", "a", "Team-1_x.y", "x".repeat(128)])("accepts %j", (ns) => {
    expect(validateNamespace(ns)).toBe(ns);
  });

  it.each(["", ".hidden", "-x", "a/b", "a..b", "x".repeat(129), "é", " a"])("rejects %j", (ns) => {
    expect(codeOf(() => validateNamespace(ns))).toBe("INVALID_ARGUMENT");
  });
});
