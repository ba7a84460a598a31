import { StoreIntegrityError, StoreSerializationError } from "../errors.js";
import { isPlainObject } from "../model/json.js";

/** "TRTH": marks data framed by a codec chain. */
export const CHAIN_MAGIC = Uint8Array.of(0x54, 0x52, 0x54, 0x48);
export const CHAIN_FORMAT_VERSION = 1;
const MAX_HEADER_BYTES = 0xffff;

export interface ChainHeaderEntry {
  id: string;
  v: number;
  p: Record<string, unknown>;
}

export interface ParsedChain {
  entries: ChainHeaderEntry[];
  /** Magic, version, length and header JSON: what authenticated codecs bind as AAD. */
  headerBytes: Uint8Array;
  payload: Uint8Array;
}

export function hasChainMagic(data: Uint8Array): boolean {
  return data.length >= 4 && CHAIN_MAGIC.every((byte, i) => data[i] === byte);
}

export function writeChainHeader(entries: ChainHeaderEntry[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ c: entries }));
  if (json.length > MAX_HEADER_BYTES) throw new StoreSerializationError("Codec header is too large");
  const out = new Uint8Array(7 + json.length);
  out.set(CHAIN_MAGIC, 0);
  out[4] = CHAIN_FORMAT_VERSION;
  out[5] = json.length >>> 8;
  out[6] = json.length & 0xff;
  out.set(json, 7);
  return out;
}

export function readChainHeader(data: Uint8Array): ParsedChain {
  if (!hasChainMagic(data) || data.length < 7) throw new StoreIntegrityError("Not codec-framed data");
  if (data[4] !== CHAIN_FORMAT_VERSION) {
    throw new StoreIntegrityError(`Unknown codec frame version ${data[4]}`);
  }
  const length = ((data[5] as number) << 8) | (data[6] as number);
  if (7 + length > data.length) throw new StoreIntegrityError("Codec header is truncated");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(7, 7 + length)));
  } catch (cause) {
    throw new StoreIntegrityError("Codec header is corrupt", { cause });
  }
  const entries = isPlainObject(parsed) ? parsed.c : undefined;
  if (
    !Array.isArray(entries) ||
    !entries.every(
      (e) => isPlainObject(e) && typeof e.id === "string" && typeof e.v === "number" && isPlainObject(e.p),
    )
  ) {
    throw new StoreIntegrityError("Codec header is corrupt");
  }
  return {
    entries: entries as ChainHeaderEntry[],
    headerBytes: data.subarray(0, 7 + length),
    payload: data.subarray(7 + length),
  };
}
