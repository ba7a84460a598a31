import { InvalidArgumentError, isStoreError } from "@truthound/store-core";
import { compressWith, type ResolvedCompressorOptions } from "./compressor.js";
import { corrupt, DecompressionLimitError } from "./errors.js";
import { type FrameHeader, frameHeaderLength, parseFrameHeader, writeFrameHeader } from "./frame.js";
import { looksIncompressible } from "./incompressible.js";
import { bridgeTransform, type NodeBridge } from "./node-bridge.js";
import type { CompressionProvider } from "./provider.js";
import { getProviderByCode } from "./registry.js";

/** Input buffered before the stream decides between compressing and storing (the sample test's input). */
const DECISION_BYTES = 64 * 1024;

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  return Buffer.concat(chunks, total);
}

/**
 * Streaming compression into one frame. Input shorter than 64 KiB becomes the same sized frame `compress` writes;
 * longer input becomes a STREAMED frame whose payload is the algorithm's standard stream (or the input itself when
 * the first 64 KiB look incompressible).
 */
export function createEncodeStream(
  provider: CompressionProvider,
  options: ResolvedCompressorOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const createCompress = provider.createCompressStream;
  if (!createCompress) throw new InvalidArgumentError(`${provider.name} has no streaming form`);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let mode: "undecided" | "stored" | "compressed" = "undecided";
  let bridge: NodeBridge | undefined;

  const header = (stored: boolean): Uint8Array => {
    const out = new Uint8Array(frameHeaderLength(undefined));
    writeFrameHeader(out, provider.code, stored, undefined);
    return out;
  };

  async function start(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    const first = concat(pending, pendingBytes);
    pending = [];
    const stored = options.sampleTest && looksIncompressible(first);
    controller.enqueue(header(stored));
    if (stored) {
      mode = "stored";
      controller.enqueue(first);
      return;
    }
    mode = "compressed";
    bridge = bridgeTransform((createCompress as NonNullable<typeof createCompress>)(options.level), (chunk) =>
      controller.enqueue(chunk),
    );
    await bridge.write(first);
  }

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) throw new InvalidArgumentError("Stream chunks must be Uint8Arrays");
      if (chunk.length === 0) return;
      try {
        if (mode === "stored") controller.enqueue(chunk.slice());
        else if (mode === "compressed") await (bridge as NodeBridge).write(chunk);
        else {
          pending.push(chunk.slice());
          pendingBytes += chunk.length;
          if (pendingBytes >= DECISION_BYTES) await start(controller);
        }
      } catch (error) {
        bridge?.destroy();
        throw isStoreError(error)
          ? error
          : new InvalidArgumentError(`${provider.name}: compression failed`, { cause: error });
      }
    },
    async flush(controller) {
      try {
        if (mode === "undecided") {
          const all = concat(pending, pendingBytes);
          controller.enqueue(
            compressWith(provider, options.level, all, options.rawBelowRatio, options.sampleTest),
          );
        } else if (mode === "compressed") await (bridge as NodeBridge).end();
      } catch (error) {
        bridge?.destroy();
        throw isStoreError(error)
          ? error
          : new InvalidArgumentError(`${provider.name}: compression failed`, { cause: error });
      }
    },
  });
}

/**
 * Streaming decompression of any frame (sized or streamed, compressed or stored). Output is counted as it is
 * produced: more than the declared size is INTEGRITY, more than `maxOutputBytes` a `DecompressionLimitError`.
 */
export function createDecodeStream(maxOutputBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let headerBuffer: Uint8Array = new Uint8Array(0);
  let header: FrameHeader | undefined;
  let name = "compression";
  let bridge: NodeBridge | undefined;
  let produced = 0;

  const emit = (controller: TransformStreamDefaultController<Uint8Array>, chunk: Uint8Array): void => {
    produced += chunk.length;
    const declared = header?.originalSize;
    if (declared !== undefined && produced > declared) {
      throw corrupt(name, `stream produces more than the ${declared} bytes its frame declares`);
    }
    if (produced > maxOutputBytes) throw new DecompressionLimitError(name, maxOutputBytes);
    controller.enqueue(chunk);
  };

  function begin(h: FrameHeader, controller: TransformStreamDefaultController<Uint8Array>): void {
    header = h;
    if (h.originalSize !== undefined && h.originalSize > maxOutputBytes) {
      throw new DecompressionLimitError(name, maxOutputBytes, h.originalSize);
    }
    if (h.stored) return;
    const provider = getProviderByCode(h.code);
    name = provider.name;
    if (h.originalSize === 0) throw corrupt(name, "compressed frame declares an empty output");
    if (!provider.createDecompressStream) throw corrupt(name, "this algorithm has no streaming form");
    bridge = bridgeTransform(provider.createDecompressStream(), (chunk) => emit(controller, chunk));
  }

  async function body(
    chunk: Uint8Array,
    controller: TransformStreamDefaultController<Uint8Array>,
  ): Promise<void> {
    if (chunk.length === 0) return;
    if (bridge) await bridge.write(chunk);
    else emit(controller, chunk.slice());
  }

  const wrap = (error: unknown): unknown => {
    bridge?.destroy();
    return isStoreError(error) ? error : corrupt(name, "data is corrupt or truncated", error);
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      try {
        if (!(chunk instanceof Uint8Array))
          throw new InvalidArgumentError("Stream chunks must be Uint8Arrays");
        if (header) return await body(chunk, controller);
        const joined = new Uint8Array(headerBuffer.length + chunk.length);
        joined.set(headerBuffer, 0);
        joined.set(chunk, headerBuffer.length);
        const parsed = parseFrameHeader(joined);
        if (!parsed) {
          headerBuffer = joined;
          return;
        }
        headerBuffer = new Uint8Array(0);
        begin(parsed, controller);
        await body(joined.subarray(parsed.headerBytes), controller);
      } catch (error) {
        throw wrap(error);
      }
    },
    async flush() {
      try {
        if (!header) throw corrupt(name, "compressed frame is truncated (incomplete header)");
        if (bridge) await bridge.end();
        if (header.originalSize !== undefined && produced !== header.originalSize) {
          throw corrupt(
            name,
            `stream produced ${produced} bytes, its frame declares ${header.originalSize} (truncated)`,
          );
        }
      } catch (error) {
        throw wrap(error);
      }
    },
  });
}
