import { Transform } from "node:stream";
import { InvalidArgumentError, isStoreError, StoreIntegrityError } from "@truthound/store-core";

/** Anything chunks can be read from: async iterables (Node readables included) and plain iterables. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** The push interface of the streaming encryptor and decryptor. */
export interface PieceProcessor {
  update(chunk: Uint8Array): Uint8Array[];
  final(): Uint8Array[];
}

export async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const piece of pieces) {
    parts.push(piece);
    total += piece.length;
  }
  return concatPieces(parts, total);
}

export function concatPieces(parts: readonly Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const size = total ?? parts.reduce((sum, part) => sum + part.length, 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new InvalidArgumentError("Encryption streams take Uint8Array chunks");
}

function typed(error: unknown): unknown {
  return isStoreError(error) ? error : new StoreIntegrityError("Stream processing failed", { cause: error });
}

export function toTransformStream(processor: PieceProcessor): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      try {
        for (const piece of processor.update(asBytes(chunk))) controller.enqueue(piece);
      } catch (error) {
        controller.error(typed(error));
      }
    },
    flush(controller) {
      try {
        for (const piece of processor.final()) controller.enqueue(piece);
      } catch (error) {
        controller.error(typed(error));
      }
    },
  });
}

export function toNodeTransform(processor: PieceProcessor): Transform {
  return new Transform({
    transform(chunk: unknown, _encoding, callback) {
      try {
        for (const piece of processor.update(asBytes(chunk))) this.push(piece);
        callback();
      } catch (error) {
        callback(typed(error) as Error);
      }
    },
    flush(callback) {
      try {
        for (const piece of processor.final()) this.push(piece);
        callback();
      } catch (error) {
        callback(typed(error) as Error);
      }
    },
  });
}
