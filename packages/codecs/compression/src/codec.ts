import {
  type Codec,
  type OptionsSpec,
  UnsupportedOperationError,
  validateOptions,
} from "@truthound/store-core";
import {
  type CompressorOptions,
  compressWith,
  decompressWithLimit,
  resolveCompressorOptions,
} from "./compressor.js";
import { DEFAULT_MAX_OUTPUT_BYTES } from "./errors.js";
import { getProvider } from "./registry.js";
import { createDecodeStream, createEncodeStream } from "./streams.js";

/** Id of every compression codec in codec-chain headers: frames name their algorithm, so one id decodes all. */
export const COMPRESSION_CODEC_ID = "compression";
export const COMPRESSION_CODEC_VERSION = 1;

/**
 * A core `Codec` for one registered algorithm (e.g. `compressionCodec("zstd", { level: "fast" })`). Records
 * `{ algorithm, level }` in the chain header; decoding reads the frame, so any compression codec, or the registered
 * factory, decodes what any other wrote. Streaming forms exist when the algorithm has them.
 */
export function compressionCodec(algorithm: string, options?: CompressorOptions): Codec {
  const provider = getProvider(algorithm);
  const o = resolveCompressorOptions(provider, options, `compressionCodec('${algorithm}')`);
  const codec: Codec = {
    id: COMPRESSION_CODEC_ID,
    version: COMPRESSION_CODEC_VERSION,
    authenticated: false,
    headerParams: () => ({ algorithm: provider.name, level: o.level }),
    encode: async (data) => compressWith(provider, o.level, data, o.rawBelowRatio, o.sampleTest),
    decode: async (data) => decompressWithLimit(data, o.maxOutputBytes),
  };
  if (provider.createCompressStream && provider.createDecompressStream) {
    codec.encodeStream = () => createEncodeStream(provider, o);
    codec.decodeStream = () => createDecodeStream(o.maxOutputBytes);
  }
  return codec;
}

export interface DecodingCodecOptions {
  maxOutputBytes?: number;
}

const decodingSpec: OptionsSpec<DecodingCodecOptions> = {
  maxOutputBytes: { type: "number", integer: true, min: 0 },
};

/** Decodes any compression frame; what a codec chain builds from a header when no codec is configured. */
export function compressionDecodingCodec(options?: DecodingCodecOptions): Codec {
  const { maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES } = validateOptions<DecodingCodecOptions>(
    "compressionDecodingCodec",
    options,
    decodingSpec,
  );
  return {
    id: COMPRESSION_CODEC_ID,
    version: COMPRESSION_CODEC_VERSION,
    authenticated: false,
    headerParams: () => ({}),
    encode: async () => {
      throw new UnsupportedOperationError(
        "compressionDecodingCodec only decodes; use compressionCodec(algorithm) to encode",
      );
    },
    decode: async (data) => decompressWithLimit(data, maxOutputBytes),
    decodeStream: () => createDecodeStream(maxOutputBytes),
  };
}
