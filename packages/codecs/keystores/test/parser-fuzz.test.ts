import { createSecretKey } from "node:crypto";
import { isStoreError } from "@truthound/store-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeKeyFile, encodeKeyFile } from "../src/file/key-file.js";
import { createMetadata, openMetadata } from "../src/file/store-metadata.js";
import { recordFromJson, recordToJson } from "../src/record-codec.js";
import { sampleRecord } from "./helpers.js";

const kek = createSecretKey(Buffer.alloc(32, 0x42));

function typedOrOk(run: () => unknown, allowed: readonly string[] = ["INTEGRITY"]): "ok" | "error" {
  try {
    run();
    return "ok";
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
    expect(allowed).toContain((error as { code: string }).code);
    return "error";
  }
}

async function typedOrOkAsync(
  run: () => Promise<unknown>,
  allowed: readonly string[],
): Promise<"ok" | "error"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
    expect(allowed).toContain((error as { code: string }).code);
    return "error";
  }
}

describe("fuzz: key file parser", () => {
  const record = sampleRecord("k");
  record.versions.push({
    version: 2,
    algorithm: "aes-128-gcm",
    createdAt: 5,
    expiresAt: 9,
    key: new Uint8Array(16).fill(1),
  });
  const valid = encodeKeyFile(kek, record);

  it("a valid file decodes to the record", () => {
    expect(decodeKeyFile(kek, valid, "k", "test")).toEqual(record);
  });

  it("random bytes are INTEGRITY", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(typedOrOk(() => decodeKeyFile(kek, bytes, "k", "test"))).toBe("error");
      }),
      { numRuns: 2000 },
    );
  });

  it("random JSON values are INTEGRITY", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = Buffer.from(JSON.stringify(value) ?? "null");
        expect(typedOrOk(() => decodeKeyFile(kek, bytes, "k", "test"))).toBe("error");
      }),
      { numRuns: 1000 },
    );
  });

  it("every single-byte mutation and truncation of a valid file is refused with INTEGRITY", () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const mutated = Buffer.from(valid);
        mutated[at] = (mutated[at] as number) ^ xor;
        const outcome = typedOrOk(() => decodeKeyFile(kek, mutated, "k", "test"));
        // JSON allows a few harmless edits (e.g. whitespace); those must still decode to the same record.
        if (outcome === "ok") expect(decodeKeyFile(kek, mutated, "k", "test")).toEqual(record);
      }),
      { numRuns: 3000 },
    );
    for (let length = 0; length < valid.length; length += 7) {
      expect(typedOrOk(() => decodeKeyFile(kek, valid.subarray(0, length), "k", "test"))).toBe("error");
    }
  });
});

describe("fuzz: decrypted record parser", () => {
  const json = recordToJson(sampleRecord("k")) as Record<string, unknown>;

  it("random values are INTEGRITY", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typedOrOk(() => recordFromJson(value, "test"))).toBe("error");
      }),
      { numRuns: 1000 },
    );
  });

  it("records with random field values are INTEGRITY or well formed", () => {
    const version = (json.versions as Record<string, unknown>[])[0] as Record<string, unknown>;
    const anyValue = fc.oneof(fc.jsonValue(), fc.constant(null), fc.base64String(), fc.integer());
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(version)),
        anyValue,
        fc.constantFrom("keyId", "revision", "versions"),
        anyValue,
        fc.boolean(),
        (vField, vValue, rField, rValue, top) => {
          const candidate = top
            ? { ...json, [rField]: rValue }
            : { ...json, versions: [{ ...version, [vField]: vValue }] };
          if (typedOrOk(() => recordFromJson(candidate, "test")) === "ok") {
            const parsed = recordFromJson(candidate, "test");
            for (const v of parsed.versions) expect(v.key === undefined || v.key.length >= 16).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("fuzz: keystore.json parser", () => {
  const protection = { kind: "master-key" as const, secret: new Uint8Array(32).fill(3) };

  it("random and mutated metadata are refused with a typed error, never a crash", async () => {
    const { bytes } = await createMetadata(protection);
    const text = bytes.toString("utf8");
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc
            .tuple(fc.nat(text.length - 1), fc.integer({ min: 32, max: 126 }))
            .map(([at, code]) =>
              Buffer.from(text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1)),
            ),
        ),
        async (candidate) => {
          const outcome = await typedOrOkAsync(
            () => openMetadata(candidate, protection, "test"),
            ["INTEGRITY", "CONFIGURATION"],
          );
          // Only edits JSON ignores (none exist in compact output, but e.g. an escaped equal character) may pass.
          if (outcome === "ok") expect(JSON.parse(candidate.toString("utf8"))).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 800 },
    );
  });
});
