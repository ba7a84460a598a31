import { describe, expect, it } from "vitest";
import { isStoreError, type OptionsSpec, type StoreError, validateOptions } from "../src/index.js";

interface Example {
  basePath?: string;
  level?: number;
  mode?: string;
  enabled?: boolean;
  hook?: () => void;
  list?: string[];
  token: string;
}

const SPEC: OptionsSpec<Example> = {
  basePath: {
    type: "string",
    check: (v) => ((v as string).includes("\0") ? "must not contain NUL" : undefined),
  },
  level: { type: "number", integer: true, min: 1, max: 9 },
  mode: { type: "string", oneOf: ["fast", "safe"] },
  enabled: { type: "boolean" },
  hook: { type: "function" },
  list: { type: "array" },
  token: { type: "string", required: true },
};

function configurationError(input: unknown): StoreError {
  try {
    validateOptions("Example", input, SPEC);
  } catch (error) {
    if (isStoreError(error, "CONFIGURATION")) return error;
    throw error;
  }
  throw new Error("expected a CONFIGURATION error");
}

describe("validateOptions", () => {
  it("returns valid options unchanged", () => {
    const input = {
      token: "t",
      level: 3,
      mode: "fast",
      enabled: false,
      hook: () => {},
      list: [],
      basePath: "/x",
    };
    expect(validateOptions("Example", input, SPEC)).toBe(input);
    expect(validateOptions("Example", { token: "t", level: undefined }, SPEC)).toEqual({
      token: "t",
      level: undefined,
    });
  });

  it.each([
    [{ token: "t", bsePath: "/x" }, "bsePath", /unknown option 'bsePath'.*basePath/],
    [{}, "token", /'token' is required/],
    [{ token: 1 }, "token", /must be a string, got number/],
    [{ token: "t", level: 0 }, "level", />= 1/],
    [{ token: "t", level: 10 }, "level", /<= 9/],
    [{ token: "t", level: 2.5 }, "level", /integer/],
    [{ token: "t", level: Number.POSITIVE_INFINITY }, "level", /finite/],
    [{ token: "t", mode: "turbo" }, "mode", /one of "fast", "safe"/],
    [{ token: "t", enabled: "yes" }, "enabled", /boolean/],
    [{ token: "t", list: {} }, "list", /array, got object/],
    [{ token: "t", hook: {} }, "hook", /function/],
    [{ token: "t", basePath: "a\0b" }, "basePath", /NUL/],
  ])("rejects %j naming the field", (input, field, message) => {
    const error = configurationError(input);
    expect(error.details.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain("Example");
  });

  it("rejects a non-object", () => {
    for (const input of [null, 1, "x", []])
      expect(configurationError(input).message).toMatch(/must be an object/);
  });
});
