import { randomBytes } from "node:crypto";
import { generateKey } from "@truthound/codec-aead";
import { isStoreError } from "@truthound/store-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPasswordPipeline, createSecurePipeline, EncryptionPipeline } from "../src/index.js";

async function typedOrOk(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
  }
}

describe("fuzzing reverse (random and mutated pipeline output: typed error, never a crash or hang)", () => {
  it("secure, password and checksum pipelines", async () => {
    const key = generateKey("aes-256-gcm");
    const pipelines = [
      createSecurePipeline(key),
      createPasswordPipeline("pw", { kdfParams: { memoryKiB: 1024, iterations: 1, parallelism: 1 } }),
      new EncryptionPipeline().addCompression("gzip").addChecksum(),
    ];
    const samples = await Promise.all(pipelines.map((p) => p.processToBytes(randomBytes(200))));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.uint8Array({ maxLength: 120 }),
        fc.boolean(),
        async (which, edits, cut, random, useRandom) => {
          let input: Uint8Array = new Uint8Array(samples[which] as Uint8Array);
          for (const [at, value] of edits) input[at % input.length] = value;
          if (cut !== undefined) input = input.subarray(0, cut % (input.length + 1));
          if (useRandom) input = Buffer.concat([Buffer.from("TRTH\u0001"), random]);
          for (const pipeline of pipelines) await typedOrOk(() => pipeline.reverse(input));
        },
      ),
      { numRuns: 200 },
    );
  });
});
