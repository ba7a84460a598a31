export { CHECKSUM_CODEC_ID, checksumCodec } from "./checksum-codec.js";
export { EncryptionStats, type PipelineMetrics } from "./encryption-stats.js";
export {
  createPasswordCodec,
  PASSWORD_CODEC_VERSION,
  PasswordCodec,
  type PasswordCodecOptions,
  passwordCodecId,
} from "./password-codec.js";
export {
  type EncryptionKeySource,
  EncryptionPipeline,
  type EncryptionPipelineOptions,
  type PipelineResult,
} from "./pipeline.js";
export {
  createFastPipeline,
  createPasswordPipeline,
  createSecurePipeline,
  type PasswordPipelineOptions,
  type PresetKey,
  type PresetOptions,
} from "./presets.js";
