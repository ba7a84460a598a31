import { randomBytes } from "node:crypto";
import { makeResults } from "@truthound/store-testkit";

/** Validation-result JSON, the workload these codecs are for. */
export function resultJson(count: number, seed = 3): Buffer {
  return Buffer.from(JSON.stringify(makeResults(count, { seed }).map((r) => r.toDict())));
}

export function randomData(bytes: number): Buffer {
  return randomBytes(bytes);
}

export function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** Uint8Arrays made of repeated slices of a few random blocks: compressible and deduplicable. */
export function repetitiveData(blocks: Uint8Array[], picks: number[]): Uint8Array {
  return Buffer.concat(picks.map((i) => blocks[i % blocks.length] as Uint8Array));
}

export async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) parts.push(part);
  return Buffer.concat(parts);
}

export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

export function splitEvery(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}
