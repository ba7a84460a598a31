import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { expectStoreError } from "@truthound/store-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkedDecryptor,
  ChunkedEncryptor,
  fileReader,
  generateKey,
  SEGMENTED_ALGORITHMS,
  SEGMENTED_HEADER_BYTES,
  StreamingDecryptor,
  StreamingEncryptor,
} from "../src/index.js";
import { join, pattern, splitSegments } from "./helpers/segments.js";

const SEG = 4096;
const key = generateKey("aes-256-gcm");

function encrypt(
  data: Uint8Array,
  options: { aad?: Uint8Array; algorithm?: (typeof SEGMENTED_ALGORITHMS)[number] } = {},
  k = key,
): Uint8Array {
  return new ChunkedEncryptor(k, { segmentSize: SEG, ...options }).encrypt(data);
}

async function decryptStreaming(data: Uint8Array, aad?: Uint8Array, k = key): Promise<Uint8Array> {
  return new StreamingDecryptor(k, aad ? { aad } : {}).decryptToBytes([data]);
}

async function decryptChunked(data: Uint8Array, aad?: Uint8Array, k = key): Promise<Uint8Array> {
  return (await ChunkedDecryptor.open(data, k, aad ? { aad } : {})).decryptAll();
}

const bothDecryptors = [
  ["streaming", decryptStreaming],
  ["chunked", decryptChunked],
] as const;

describe.each(SEGMENTED_ALGORITHMS)("segmented format (%s)", (algorithm) => {
  const k = generateKey(algorithm);
  it("round-trips any size through any chunking (property-based), streaming and random access agree", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 * SEG + 3 }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { maxLength: 8 }),
        async (size, cuts) => {
          const data = pattern(size, size + 1);
          const encryptor = new StreamingEncryptor(k, { algorithm, segmentSize: SEG });
          const pieces: Uint8Array[] = [];
          let at = 0;
          for (const cut of cuts) {
            if (at >= size) break;
            pieces.push(...encryptor.update(data.subarray(at, at + cut)));
            at += cut;
          }
          pieces.push(...encryptor.update(data.subarray(at)), ...encryptor.final());
          const ciphertext = join(...pieces);
          expect(ciphertext).toEqual(ciphertext); // same bytes however it was fed: checked through decryption below
          expect(ciphertext.length).toBe(
            SEGMENTED_HEADER_BYTES + size + 16 * Math.max(1, Math.ceil(size / SEG)),
          );
          const decryptor = new StreamingDecryptor(k);
          const out: Uint8Array[] = [];
          for (let i = 0; i < ciphertext.length; i += 777)
            out.push(...decryptor.update(ciphertext.subarray(i, i + 777)));
          out.push(...decryptor.final());
          expect(Buffer.from(join(...out)).equals(Buffer.from(data))).toBe(true);
          expect(Buffer.from(await decryptChunked(ciphertext, undefined, k)).equals(Buffer.from(data))).toBe(
            true,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("streams in and out", () => {
  const data = pattern(200_000, 7);

  it("Node streams: pipeline(Readable, encryptor transform, decryptor transform)", async () => {
    const out: Buffer[] = [];
    await pipeline(
      Readable.from([data.subarray(0, 5), data.subarray(5, 70_000), data.subarray(70_000)]),
      new StreamingEncryptor(key, { segmentSize: SEG }).toNodeTransform(),
      new StreamingDecryptor(key).toNodeTransform(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) out.push(chunk);
      },
    );
    expect(Buffer.concat(out).equals(Buffer.from(data))).toBe(true);
  });

  it("web TransformStreams", async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < data.length; i += 10_000) controller.enqueue(data.subarray(i, i + 10_000));
        controller.close();
      },
    });
    const decrypted = source
      .pipeThrough(new StreamingEncryptor(key).toTransformStream())
      .pipeThrough(new StreamingDecryptor(key).toTransformStream());
    const parts: Uint8Array[] = [];
    for await (const part of decrypted as unknown as AsyncIterable<Uint8Array>) parts.push(part);
    expect(Buffer.from(join(...parts)).equals(Buffer.from(data))).toBe(true);
  });

  it("async iterables: encrypt() and decrypt() generators", async () => {
    async function* chunks() {
      for (let i = 0; i < data.length; i += 33_333) yield data.subarray(i, i + 33_333);
    }
    const ciphertext = await new StreamingEncryptor(key, { segmentSize: 8192 }).encryptToBytes(chunks());
    const parts: Uint8Array[] = [];
    for await (const part of new StreamingDecryptor(key).decrypt([ciphertext])) parts.push(part);
    expect(Buffer.from(join(...parts)).equals(Buffer.from(data))).toBe(true);
  });

  it("a truncated stream errors the web stream with INTEGRITY", async () => {
    const ciphertext = encrypt(data);
    const cut = ciphertext.subarray(0, SEGMENTED_HEADER_BYTES + 2 * (SEG + 16));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(cut);
        controller.close();
      },
    }).pipeThrough(new StreamingDecryptor(key).toTransformStream());
    await expectStoreError(async () => {
      for await (const _ of stream as unknown as AsyncIterable<Uint8Array>) {
        // consume
      }
    }, "INTEGRITY");
  });

  it("an encryptor that never reached final() leaves an object that cannot decrypt as complete", async () => {
    const encryptor = new StreamingEncryptor(key, { segmentSize: SEG });
    const partial = join(...encryptor.update(data));
    await expectStoreError(() => decryptStreaming(partial), "INTEGRITY");
    await expectStoreError(() => decryptChunked(partial), "INTEGRITY");
  });
});

describe("random access", () => {
  const data = pattern(10 * SEG + 100, 3);
  const ciphertext = encrypt(data);

  it("decrypts one segment reading only that segment (and the header)", async () => {
    const reads: Array<[number, number]> = [];
    const reader = {
      size: () => ciphertext.length,
      read: (offset: number, length: number) => {
        reads.push([offset, length]);
        return ciphertext.subarray(offset, offset + length);
      },
    };
    const decryptor = await ChunkedDecryptor.open(reader, key);
    expect(decryptor.segmentCount).toBe(11);
    expect(decryptor.plaintextSize).toBe(data.length);
    const five = await decryptor.decryptSegment(5);
    expect(Buffer.from(five).equals(Buffer.from(data.subarray(5 * SEG, 6 * SEG)))).toBe(true);
    expect(reads).toEqual([
      [0, SEGMENTED_HEADER_BYTES],
      [SEGMENTED_HEADER_BYTES + 5 * (SEG + 16), SEG + 16],
    ]);
    const last = await decryptor.decryptSegment(10);
    expect(last.length).toBe(100);
  });

  it("decryptRange returns exactly the requested plaintext bytes", async () => {
    const decryptor = await ChunkedDecryptor.open(ciphertext, key);
    for (const [start, end] of [
      [0, 1],
      [SEG - 1, SEG + 1],
      [3 * SEG + 17, 7 * SEG + 5],
      [data.length - 5, data.length],
      [12, 12],
    ] as const) {
      expect(
        Buffer.from(await decryptor.decryptRange(start, end)).equals(Buffer.from(data.subarray(start, end))),
      ).toBe(true);
    }
    await expectStoreError(() => decryptor.decryptRange(0, data.length + 1), "INVALID_ARGUMENT");
    await expectStoreError(() => decryptor.decryptSegment(11), "INVALID_ARGUMENT");
  });

  it("reads from a file through fileReader", async () => {
    const dir = await mkdtemp(joinPath(tmpdir(), "aead-seg-"));
    try {
      const path = joinPath(dir, "object.enc");
      await writeFile(path, ciphertext);
      const handle = await open(path, "r");
      try {
        const decryptor = await ChunkedDecryptor.open(fileReader(handle), key);
        const seg = await decryptor.decryptSegment(3);
        expect(Buffer.from(seg).equals(Buffer.from(data.subarray(3 * SEG, 4 * SEG)))).toBe(true);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a reader that fails is a READ error; one that returns short data is INTEGRITY", async () => {
    const failing = { size: () => ciphertext.length, read: () => Promise.reject(new Error("disk gone")) };
    await expectStoreError(() => ChunkedDecryptor.open(failing, key), "READ");
    const short = {
      size: () => ciphertext.length,
      read: (o: number, l: number) => ciphertext.subarray(o, o + l - 1),
    };
    await expectStoreError(() => ChunkedDecryptor.open(short, key), "INTEGRITY");
  });
});

describe("tampering (every case fails with INTEGRITY, on both decryptors)", () => {
  const data = pattern(4 * SEG + 10, 11);
  const ciphertext = encrypt(data, { aad: Buffer.from("object-a") });
  const aad = Buffer.from("object-a");
  const { header, segments } = splitSegments(ciphertext, SEG);
  const [s0, s1, s2, s3, s4] = segments as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const other = encrypt(pattern(4 * SEG + 10, 12), { aad });
  const otherParts = splitSegments(other, SEG);

  const cases: Array<[string, Uint8Array, Uint8Array?]> = [
    ["truncation at a segment boundary", join(header, s0, s1, s2)],
    ["truncation inside a segment", ciphertext.subarray(0, ciphertext.length - 5)],
    ["truncation to the header", header],
    ["truncation inside the header", header.subarray(0, 20)],
    ["empty input", new Uint8Array(0)],
    ["reordered segments", join(header, s1, s0, s2, s3, s4)],
    ["a duplicated segment", join(header, s0, s0, s1, s2, s3, s4)],
    ["a dropped middle segment", join(header, s0, s2, s3, s4)],
    ["an appended segment", join(header, s0, s1, s2, s3, s4, s4)],
    ["appended garbage", join(ciphertext, new Uint8Array(3))],
    [
      "a segment spliced in from another object",
      join(header, s0, otherParts.segments[1] as Uint8Array, s2, s3, s4),
    ],
    ["another object's header", join(otherParts.header, s0, s1, s2, s3, s4)],
    ["the final segment promoted (last two swapped)", join(header, s0, s1, s2, s4, s3)],
    ["different associated data", ciphertext, Buffer.from("object-b")],
    ["no associated data", ciphertext, new Uint8Array(0)],
  ];

  for (const [name, bytes, otherAad] of cases) {
    for (const [kind, decrypt] of bothDecryptors) {
      it(`${name} (${kind})`, async () => {
        await expectStoreError(() => decrypt(bytes, otherAad ?? aad), "INTEGRITY");
      });
    }
  }

  it("a wrong key", async () => {
    for (const [, decrypt] of bothDecryptors)
      await expectStoreError(() => decrypt(ciphertext, aad, generateKey("aes-256-gcm")), "INTEGRITY");
  });

  it("every bit flip of the header and a sample of bit flips in the body", async () => {
    const bits = [...Array.from({ length: SEGMENTED_HEADER_BYTES * 8 }, (_, i) => i)];
    for (let bit = SEGMENTED_HEADER_BYTES * 8; bit < ciphertext.length * 8; bit += 997) bits.push(bit);
    bits.push(ciphertext.length * 8 - 1);
    for (const bit of bits) {
      const copy = new Uint8Array(ciphertext);
      copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
      for (const [, decrypt] of bothDecryptors) await expectStoreError(() => decrypt(copy, aad), "INTEGRITY");
    }
  });

  it("a decryptor that failed stays failed", async () => {
    const decryptor = new StreamingDecryptor(key, { aad });
    const bad = new Uint8Array(ciphertext);
    bad[SEGMENTED_HEADER_BYTES + 3] = (bad[SEGMENTED_HEADER_BYTES + 3] as number) ^ 1;
    await expectStoreError(() => decryptor.update(bad), "INTEGRITY");
    await expectStoreError(() => decryptor.update(new Uint8Array(1)), "INTEGRITY");
  });
});

describe("options", () => {
  it("rejects bad segment sizes, algorithms, keys and unknown options", async () => {
    await expectStoreError(() => new StreamingEncryptor(key, { segmentSize: 5000 }), "CONFIGURATION");
    await expectStoreError(() => new StreamingEncryptor(key, { segmentSize: 1024 }), "CONFIGURATION");
    await expectStoreError(
      () => new StreamingEncryptor(key, { algorithm: "xchacha20-poly1305" as never }),
      "CONFIGURATION",
    );
    await expectStoreError(() => new StreamingEncryptor(key, { chunkSize: 4096 } as never), "CONFIGURATION");
    await expectStoreError(() => new StreamingEncryptor(new Uint8Array(16)), "INVALID_ARGUMENT");
    await expectStoreError(() => new ChunkedEncryptor(key, { segmentSize: 3 }), "CONFIGURATION");
  });

  it("update after final and final twice are INVALID_ARGUMENT", async () => {
    const encryptor = new StreamingEncryptor(key);
    encryptor.final();
    await expectStoreError(() => encryptor.update(new Uint8Array(1)), "INVALID_ARGUMENT");
    await expectStoreError(() => encryptor.final(), "INVALID_ARGUMENT");
  });

  it("size overhead is the 61-byte header plus 16 bytes per segment", () => {
    expect(encrypt(new Uint8Array(0)).length).toBe(61 + 16);
    expect(encrypt(new Uint8Array(SEG)).length).toBe(61 + SEG + 16);
    expect(encrypt(new Uint8Array(SEG + 1)).length).toBe(61 + SEG + 1 + 32);
  });
});
