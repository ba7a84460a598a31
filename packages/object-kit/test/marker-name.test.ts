import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMarker, invertedTime, parseMarker, parseMarkerBody } from "../src/marker-name.js";

const entryArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 300, unit: "grapheme" }),
  dataAsset: fc.string({ maxLength: 300, unit: "grapheme" }),
  runTimeMs: fc.integer({ min: -8.64e15, max: 8.64e15 }),
  status: fc.constantFrom("success", "failure", "warning", "error"),
  tags: fc.dictionary(
    fc.string({ maxLength: 20, unit: "grapheme" }),
    fc.string({ maxLength: 40, unit: "grapheme" }),
    {
      maxKeys: 5,
    },
  ),
});

describe("index marker names", () => {
  it("round-trip every entry, from the name or (overflow) from the body", () => {
    fc.assert(
      fc.property(
        entryArb,
        fc.constantFrom("json", "gzip", "codec") as fc.Arbitrary<"json" | "gzip" | "codec">,
        (entry, format) => {
          const built = buildMarker(entry, "0123456789abcdef", format);
          expect(Buffer.byteLength(built.name.split("/")[1] as string)).toBeLessThanOrEqual(200);
          const parsed = parseMarker(built.name);
          expect(parsed.token).toBe("0123456789abcdef");
          expect(parsed.format).toBe(format);
          expect(parsed.runTimeMs).toBe(entry.runTimeMs);
          const decoded = parsed.entry ?? parseMarkerBody(built.name, built.body);
          expect(decoded).toEqual(entry);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("inverted times sort newest first", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (a, b) => {
          fc.pre(a < b);
          expect(invertedTime(b) < invertedTime(a)).toBe(true);
        },
      ),
    );
  });

  it("rejects names this version did not write", () => {
    for (const name of [
      "",
      "x",
      "aasset/zz!success!0123456789abcdef!j!id!",
      "aasset/0000000000000a!s!short!j!id!",
    ]) {
      expect(() => parseMarker(name)).toThrow();
    }
  });
});
