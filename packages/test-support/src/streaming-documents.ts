import { createHash } from "node:crypto";
import type { IndexEntry, ValidationResult } from "@truthound/store-core";

export const MIB = 1024 * 1024;

export interface GeneratedDocumentOptions {
  failAfter?: number;
  pause?: { after: number; run: () => Promise<unknown> };
}

/**
 * A JSON document of about `bytes` bytes, generated 1 MiB at a time, with its SHA-256 once fully read.
 * `failAfter` makes the stream throw after that many bytes; `pause` runs once after that many bytes.
 */
export function generatedDocument(id: string, bytes: number, options: GeneratedDocumentOptions = {}) {
  const hash = createHash("sha256");
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const emit = (text: string) => {
      const chunk = Buffer.from(text);
      hash.update(chunk);
      return chunk;
    };
    let sent = 0;
    let paused = false;
    yield emit(`{"run_id":${JSON.stringify(id)},"data_asset":"big.parquet","rows":[`);
    for (let block = 0; sent < bytes; block++) {
      const rows: string[] = [];
      for (let i = 0; i < 4096; i++)
        rows.push(`{"row":${block * 4096 + i},"value":"v${(block * 31 + i) % 997}"}`);
      const chunk = emit(`${block === 0 ? "" : ","}${rows.join(",")}`.padEnd(MIB, " "));
      sent += chunk.byteLength;
      yield chunk;
      if (options.failAfter !== undefined && sent >= options.failAfter) throw new Error("source failed");
      if (options.pause !== undefined && !paused && sent >= options.pause.after) {
        paused = true;
        await options.pause.run();
      }
    }
    yield emit("]}");
  }
  return { chunks: chunks(), digest: () => hash.digest("hex") };
}

/** Peak RSS growth over a baseline, sampled every 20 ms while `work` runs. */
export async function peakRssGrowth<R>(work: () => Promise<R>): Promise<{ result: R; growth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

export async function hashOf(stream: AsyncIterable<Uint8Array>): Promise<{ digest: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { digest: hash.digest("hex"), bytes };
}

export async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

/** The index entry of a large generated document named `id`. */
export const bigEntryOf = (id: string): IndexEntry => ({
  id,
  dataAsset: "big.parquet",
  runTimeMs: Date.parse("2026-11-01T00:00:00Z"),
  status: "success",
  tags: { size: "large" },
});

export function entryOfResult(result: ValidationResult): IndexEntry {
  return {
    id: result.runId,
    dataAsset: result.dataAsset,
    runTimeMs: result.runTime.getTime(),
    status: result.status,
    tags: { ...result.tags },
  };
}
