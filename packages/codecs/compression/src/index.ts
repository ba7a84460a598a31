import { registerCodec } from "@truthound/store-core";
import { COMPRESSION_CODEC_ID, compressionDecodingCodec } from "./codec.js";
import { PIPELINE_CODEC_ID, pipelineDecodingCodec } from "./pipeline.js";
import { registerCompressor } from "./registry.js";
import { ZLIB_PROVIDERS } from "./zlib-providers.js";

// The package's only side effects: node:zlib algorithms in the compressor registry, and decoders for its two
// codec ids in core's codec registry, so any codec chain reads what these codecs wrote.
for (const provider of ZLIB_PROVIDERS) registerCompressor(provider);
registerCodec(COMPRESSION_CODEC_ID, () => compressionDecodingCodec());
registerCodec(PIPELINE_CODEC_ID, () => pipelineDecodingCodec());

export {
  type AdaptiveCandidate,
  type AdaptiveCompressionMetrics,
  type AdaptiveCompressionResult,
  AdaptiveCompressor,
  type AdaptiveCompressorOptions,
  type AdaptiveSelection,
  adaptiveCodec,
  type CandidateMeasurement,
  CompressionGoal,
} from "./adaptive.js";
export {
  COMPRESSION_CODEC_ID,
  COMPRESSION_CODEC_VERSION,
  compressionCodec,
  compressionDecodingCodec,
  type DecodingCodecOptions,
} from "./codec.js";
export {
  type CompressionMetrics,
  type CompressionResult,
  type Compressor,
  type CompressorOptions,
  type DecompressOptions,
  decompressFrame,
  getCompressor,
} from "./compressor.js";
export {
  type ChunkingMode,
  type DeduplicationOptions,
  type DeduplicationStats,
  DeduplicationTransform,
} from "./dedup.js";
export { DEFAULT_MAX_OUTPUT_BYTES, DecompressionLimitError } from "./errors.js";
export { type FrameInfo, hasFrameMagic, readFrame } from "./frame.js";
export { looksIncompressible } from "./incompressible.js";
export {
  COMPRESSION_LEVELS,
  CompressionLevel,
  type CompressionLevelRange,
  isCompressionLevel,
} from "./levels.js";
export {
  CompressionPipeline,
  type CompressionPipelineOptions,
  isPipelineOutput,
  PIPELINE_CODEC_ID,
  type PipelineMetrics,
  type PipelineResult,
  pipelineCodec,
  pipelineDecodingCodec,
  reversePipeline,
  type StageMetrics,
} from "./pipeline.js";
export type { CompressionProvider } from "./provider.js";
export {
  getProvider,
  isAlgorithmAvailable,
  listAvailableAlgorithms,
  registerCompressor,
} from "./registry.js";
export { brotliProvider, deflateRawProvider, gzipProvider, zlibProvider } from "./zlib-providers.js";
