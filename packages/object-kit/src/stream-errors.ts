import { Readable } from "node:stream";
import type { StoreError } from "@truthound/store-core";

/**
 * A body stream whose errors are `StoreError`s: an SDK's response stream, with each error it emits mapped by the
 * backend's error mapping (a reset connection mid-download becomes a retryable `CONNECTION`).
 */
export function mapStreamErrors(
  source: AsyncIterable<Uint8Array> & { destroy(error?: Error): void },
  map: (error: unknown) => StoreError,
): Readable {
  async function* mapped(): AsyncGenerator<Uint8Array> {
    try {
      yield* source;
    } catch (error) {
      throw map(error);
    } finally {
      source.destroy();
    }
  }
  return Readable.from(mapped(), { objectMode: false });
}
