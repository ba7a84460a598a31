import { encodeIdSegment } from "@truthound/store-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyLayout } from "../src/index.js";

describe("KeyLayout", () => {
  const keys = new KeyLayout("truthound:", "prod");

  it("puts every key of a namespace under one hash tag", () => {
    expect(keys.base).toBe("truthound:{prod}:");
    expect(keys.document("run_1")).toBe("truthound:{prod}:d:run_1");
    expect(keys.documentPattern).toBe("truthound:{prod}:d:*");
  });

  it("names documents exactly as encodeIdSegment (which the scripts mirror), fast path included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 40 }), (id) => {
        expect(keys.document(id)).toBe(`truthound:{prod}:d:${encodeIdSegment(id)}`);
      }),
      { numRuns: 500 },
    );
    for (const id of ["_x", ".x", "a:b", "{x}", "*", "a b", "~", "-"]) {
      expect(keys.document(id)).toBe(`truthound:{prod}:d:${encodeIdSegment(id)}`);
    }
  });
});
