import { randomBytes } from "node:crypto";
import { CodecChain, isStoreError } from "@truthound/store-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedDecryptor,
  ChunkedEncryptor,
  createAeadCodec,
  createSegmentedCodec,
  describeWrappedKey,
  EnvelopeEncryption,
  generateKey,
  getEncryptor,
  StreamingDecryptor,
} from "../src/index.js";

/** Runs a parser on hostile input: it may succeed or throw a typed StoreError, nothing else. */
async function typedOrOk(action: () => unknown): Promise<void> {
  try {
    await action();
  } catch (error) {
    expect(isStoreError(error), `untyped error: ${String(error)}`).toBe(true);
  }
}

function mutate(base: Uint8Array, edits: Array<[number, number]>, cut: number | undefined): Uint8Array {
  const copy = new Uint8Array(base);
  for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
  return cut === undefined ? copy : copy.subarray(0, cut % (copy.length + 1));
}

const key = generateKey("aes-256-gcm");
const mutation = fc.tuple(
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
  fc.option(fc.nat(), { nil: undefined }),
);

describe("fuzzing every parser (random and mutated input: typed error, never a crash or hang)", () => {
  it("segmented header and body (streaming and random access)", async () => {
    const valid = new ChunkedEncryptor(key, { segmentSize: 4096 }).encrypt(randomBytes(9000));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          mutation.map(([e, c]) => mutate(valid, e, c)),
        ),
        async (input) => {
          await typedOrOk(async () => {
            const d = new StreamingDecryptor(key);
            d.update(input);
            d.final();
          });
          await typedOrOk(async () => (await ChunkedDecryptor.open(input, key)).decryptAll());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("wrapped keys and envelope blobs", async () => {
    const envelope = new EnvelopeEncryption({ key, keyId: "k" });
    const blob = await envelope.encryptToBytes(randomBytes(100));
    const { wrappedKey } = await envelope.encrypt(randomBytes(10));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          mutation.map(([e, c]) => mutate(blob, e, c)),
          mutation.map(([e, c]) => mutate(wrappedKey, e, c)),
        ),
        async (input) => {
          await typedOrOk(() => describeWrappedKey(input));
          await typedOrOk(() => envelope.decryptBytes(input));
          await typedOrOk(() => envelope.decrypt(randomBytes(60), input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("AEAD ciphertexts, AEAD codec output and whole codec chains", async () => {
    const codec = await createAeadCodec({
      algorithm: "xchacha20-poly1305",
      key: generateKey("xchacha20-poly1305"),
    });
    const segmented = await createSegmentedCodec({ key, segmentSize: 4096 });
    const chain = new CodecChain([codec]);
    const framed = await chain.encode(randomBytes(300));
    const segFramed = await new CodecChain([segmented]).encode(randomBytes(5000));
    const sealed = getEncryptor("aes-128-gcm").encrypt(randomBytes(50), key.subarray(0, 16));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          mutation.map(([e, c]) => mutate(framed, e, c)),
          mutation.map(([e, c]) => mutate(segFramed, e, c)),
          mutation.map(([e, c]) => mutate(sealed, e, c)),
        ),
        async (input) => {
          await typedOrOk(() => chain.decode(input));
          await typedOrOk(() => new CodecChain([segmented]).decode(input));
          await typedOrOk(() =>
            codec.decode(input, { aad: new Uint8Array(0), params: { kid: "default", kv: 1 } }),
          );
          await typedOrOk(() => getEncryptor("aes-128-gcm").decrypt(input, key.subarray(0, 16)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
