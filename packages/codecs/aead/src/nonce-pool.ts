import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;

/**
 * Random bytes for nonces and salts, drawn from a 4 KiB buffer refilled by the CSPRNG: one `randomFillSync`
 * serves hundreds of nonces, where a `randomBytes(12)` per message costs 2–4 µs. The returned view is valid only
 * until the next call (callers copy it or hand it straight to `createCipheriv`, which copies it).
 */
export class RandomPool {
  readonly #pool = Buffer.allocUnsafeSlow(POOL_BYTES);
  #offset = POOL_BYTES;

  take(length: number): Buffer {
    if (length > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(length));
    if (this.#offset + length > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const out = this.#pool.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** A fresh copy, for values kept beyond the next call. */
  takeCopy(length: number): Buffer {
    return Buffer.from(this.take(length));
  }
}

export const randomPool = new RandomPool();
