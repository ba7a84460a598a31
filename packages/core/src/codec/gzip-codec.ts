import { Duplex } from "node:stream";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { StoreIntegrityError } from "../errors.js";
import type { Codec } from "./codec.js";
import { registerCodec } from "./codec-registry.js";

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface GzipCodecOptions {
  /** 1 (fastest) to 9 (smallest). Default 6. */
  level?: number;
}

/** gzip from `node:zlib`: the one codec core ships, since every backend's `useCompression` needs it. */
export function gzipCodec(options: GzipCodecOptions = {}): Codec {
  const level = options.level ?? 6;
  return {
    id: "gzip",
    version: 1,
    authenticated: false,
    headerParams: () => ({}),
    encode: async (data) => new Uint8Array(await gzip(data, { level })),
    decode: async (data) => {
      try {
        return new Uint8Array(await gunzip(data, { chunkSize: 1 << 20 }));
      } catch (cause) {
        throw new StoreIntegrityError("gzip data is corrupt", { cause });
      }
    },
    encodeStream: () => toWeb(zlib.createGzip({ level })),
    decodeStream: () => toWeb(zlib.createGunzip({ chunkSize: 1 << 20 })),
  };
}

function toWeb(transform: zlib.Gzip | zlib.Gunzip): TransformStream<Uint8Array, Uint8Array> {
  return Duplex.toWeb(transform) as unknown as TransformStream<Uint8Array, Uint8Array>;
}

registerCodec("gzip", () => gzipCodec());
