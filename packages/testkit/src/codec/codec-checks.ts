import { randomBytes } from "node:crypto";
import {
  type Codec,
  CodecChain,
  type CodecContext,
  isStoreError,
  writeChainHeader,
} from "@truthound/store-core";
import fc from "fast-check";
import { expect } from "vitest";
import { expectStoreError } from "../assertions.js";

export type CodecFactory = () => Codec | Promise<Codec>;

/** The header a codec chain would write for `codec`, used as AAD the way `CodecChain` binds it. */
function contextFor(codec: Codec): CodecContext {
  const params = codec.headerParams();
  return { aad: writeChainHeader([{ id: codec.id, v: codec.version, p: params }]), params };
}

export async function roundTrip(codec: Codec, data: Uint8Array): Promise<Uint8Array> {
  const context = contextFor(codec);
  const encoded = await codec.encode(data, context);
  expect(encoded).toBeInstanceOf(Uint8Array);
  return codec.decode(encoded, context);
}

function bytesEqual(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length, "decoded length").toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected)), "decoded bytes differ from the input").toBe(true);
}

/** A large input: half random, half repetitive, so compressing codecs take both paths. */
export function largeInput(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const half = Math.floor(bytes / 2);
  out.set(randomBytes(half), 0);
  const text = Buffer.from('{"validator_name":"null_check","success":true,"column":"email"},');
  for (let i = half; i < bytes; i++) out[i] = text[(i - half) % text.length] as number;
  return out;
}

export async function checkRandomRoundTrip(
  factory: CodecFactory,
  runs: number,
  seed?: number,
): Promise<void> {
  const codec = await factory();
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 8192 }), async (data) => {
      bytesEqual(await roundTrip(codec, data), data);
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
}

export async function checkLargeRoundTrip(factory: CodecFactory, bytes: number): Promise<void> {
  const codec = await factory();
  const data = largeInput(bytes);
  bytesEqual(await roundTrip(codec, data), data);
}

export async function checkEmptyRoundTrip(factory: CodecFactory): Promise<void> {
  const codec = await factory();
  const empty = new Uint8Array(0);
  bytesEqual(await roundTrip(codec, empty), empty);
}

/** Encodes with one instance and decodes, inside a codec chain, with another built the same way. */
export async function checkChainRoundTrip(factory: CodecFactory): Promise<void> {
  const data = largeInput(64 * 1024);
  const framed = await new CodecChain([await factory()]).encode(data);
  bytesEqual(await new CodecChain([await factory()]).decode(framed), data);
  const empty = await new CodecChain([await factory()]).encode(new Uint8Array(0));
  bytesEqual(await new CodecChain([await factory()]).decode(empty), new Uint8Array(0));
}

async function pipeThrough(
  stream: TransformStream<Uint8Array, Uint8Array>,
  chunks: Uint8Array[],
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const parts: Uint8Array[] = [];
  for await (const part of source.pipeThrough(stream) as unknown as AsyncIterable<Uint8Array>)
    parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

/** Where the codec offers streams: stream-encode then stream-decode, in uneven chunks. */
export async function checkStreamRoundTrip(factory: CodecFactory, bytes: number): Promise<boolean> {
  const codec = await factory();
  if (!codec.encodeStream || !codec.decodeStream) return false;
  const context = contextFor(codec);
  const data = largeInput(bytes);
  const chunks: Uint8Array[] = [];
  for (let i = 0, size = 1; i < data.length; i += size, size = (size * 7) % 65_521)
    chunks.push(data.subarray(i, i + size));
  const encoded = await pipeThrough(codec.encodeStream(context), chunks);
  const decoded = await pipeThrough(codec.decodeStream(context), [
    encoded.subarray(0, 10),
    encoded.subarray(10),
  ]);
  bytesEqual(decoded, data);
  return true;
}

export async function checkDeclaredAuthentication(
  factory: CodecFactory,
  authenticated: boolean,
): Promise<void> {
  const codec = await factory();
  expect(codec.authenticated, "codec.authenticated").toBe(authenticated);
  expect(typeof codec.id).toBe("string");
  expect(codec.id.length).toBeGreaterThan(0);
  expect(Number.isInteger(codec.version) && codec.version >= 1, "codec.version is a positive integer").toBe(
    true,
  );
}

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(data);
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

/** Flips every single bit of the output of a small input; each flip must fail with INTEGRITY. */
export async function checkEveryBitFlipDetected(factory: CodecFactory): Promise<void> {
  const codec = await factory();
  const context = contextFor(codec);
  const encoded = await codec.encode(
    Uint8Array.from({ length: 24 }, (_, i) => i * 11),
    context,
  );
  for (let bit = 0; bit < encoded.length * 8; bit++) {
    await expectStoreError(() => codec.decode(flipBit(encoded, bit), context), "INTEGRITY");
  }
  await expectStoreError(() => codec.decode(encoded.subarray(0, encoded.length - 1), context), "INTEGRITY");
  await expectStoreError(() => codec.decode(new Uint8Array(0), context), "INTEGRITY");
}

/** Random data, random single-bit flip of the output: always INTEGRITY. */
export async function checkRandomBitFlipDetected(
  factory: CodecFactory,
  runs: number,
  seed?: number,
): Promise<void> {
  const codec = await factory();
  const context = contextFor(codec);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.nat(), async (data, position) => {
      const encoded = await codec.encode(data, context);
      await expectStoreError(
        () => codec.decode(flipBit(encoded, position % (encoded.length * 8)), context),
        "INTEGRITY",
      );
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
}

/** Changing the header the output is bound to (AAD) must fail decoding with INTEGRITY. */
export async function checkHeaderChangeDetected(factory: CodecFactory): Promise<void> {
  const codec = await factory();
  const context = contextFor(codec);
  const encoded = await codec.encode(largeInput(1024), context);
  for (let bit = 0; bit < context.aad.length * 8; bit += 3) {
    await expectStoreError(
      () => codec.decode(encoded, { ...context, aad: flipBit(context.aad, bit) }),
      "INTEGRITY",
    );
  }
  await expectStoreError(
    () => codec.decode(encoded, { ...context, aad: context.aad.subarray(1) }),
    "INTEGRITY",
  );
  await expectStoreError(() => codec.decode(encoded, { ...context, aad: new Uint8Array(0) }), "INTEGRITY");
  // Through a chain: the header is authenticated as a whole, so changing a byte of it must fail too.
  const framed = await new CodecChain([codec]).encode(largeInput(1024));
  const headerLength = 7 + (((framed[5] as number) << 8) | (framed[6] as number));
  for (let byte = 0; byte < headerLength; byte++) {
    let decoded: Uint8Array | undefined;
    try {
      decoded = await new CodecChain([codec]).decode(flipBit(framed, byte * 8));
    } catch (error) {
      // A changed header may name an unknown codec or key instead of failing authentication; any typed error will do.
      expect(isStoreError(error), `header byte ${byte}: untyped error ${String(error)}`).toBe(true);
    }
    expect(decoded, `a change of header byte ${byte} went undetected`).toBeUndefined();
  }
}

/** Without authentication a codec need not detect corruption, but any failure must be a typed StoreError. */
export async function checkCorruptionFailsTyped(
  factory: CodecFactory,
  runs: number,
  seed?: number,
): Promise<void> {
  const codec = await factory();
  const context = contextFor(codec);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), async (data, position) => {
      const encoded = await codec.encode(data, context);
      const corrupt = [
        flipBit(encoded, position % (encoded.length * 8)),
        encoded.subarray(0, position % encoded.length),
      ];
      for (const input of corrupt) {
        try {
          await codec.decode(input, context);
        } catch (error) {
          expect(isStoreError(error), `decode threw an untyped error: ${String(error)}`).toBe(true);
        }
      }
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
}
