import { StoreIntegrityError } from "@truthound/store-core";

/** Largest value a varint may carry: lengths stay exact in a JS number. */
export const MAX_VARINT_VALUE = Number.MAX_SAFE_INTEGER;
const MAX_VARINT_BYTES = 8;

export function varintLength(value: number): number {
  let bytes = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) bytes++;
  return bytes;
}

/** Writes `value` as unsigned LEB128 at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    target[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  target[at++] = v;
  return at;
}

export interface VarintRead {
  value: number;
  next: number;
}

/** Reads an unsigned LEB128 value; rejects truncation, overlong (non-minimal) forms and values above 2^53 - 1. */
export function readVarint(source: Uint8Array, offset: number, what: string): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const at = offset + i;
    if (at >= source.length) throw new StoreIntegrityError(`${what} is truncated`);
    const byte = source[at] as number;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > 0) throw new StoreIntegrityError(`${what} is not minimally encoded`);
      if (value > MAX_VARINT_VALUE) throw new StoreIntegrityError(`${what} is out of range`);
      return { value, next: at + 1 };
    }
    scale *= 0x80;
  }
  throw new StoreIntegrityError(`${what} is too long`);
}
