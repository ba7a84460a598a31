export { AEAD_CODEC_VERSION, AeadCodec, type AeadCodecOptions, createAeadCodec } from "./aead-codec.js";
export { AeadKey, type AeadKeyOptions, generateKey, importKey, toAeadKey } from "./aead-key.js";
export {
  AEAD_ALGORITHMS,
  AEAD_SPECS,
  type AeadAlgorithm,
  type AeadAlgorithmSpec,
  isAeadAlgorithm,
  resolveAeadAlgorithm,
} from "./algorithms.js";
export { COMMITMENT_BYTES, commitmentTag, openCommitted, sealCommitted } from "./commitment.js";
export { type AeadOptions, Encryptor, getEncryptor } from "./encryptor.js";
export {
  describeWrappedKey,
  type EnvelopeCallOptions,
  type EnvelopeEncryptedData,
  EnvelopeEncryption,
  type EnvelopeOptions,
  type WrappedKeyInfo,
} from "./envelope.js";
export { KeyUsageLimitError } from "./errors.js";
export { hchacha20 } from "./hchacha20.js";
export {
  type KeyParams,
  KeySource,
  type KeySourceOptions,
  readKeyParams,
  registerDecryptionKeyProvider,
  unregisterDecryptionKeyProvider,
} from "./key-source.js";
export {
  type ByteRangeReader,
  bytesReader,
  ChunkedDecryptor,
  ChunkedEncryptor,
  fileReader,
} from "./segmented/chunked.js";
export {
  DEFAULT_SEGMENT_SIZE,
  HEADER_BYTES as SEGMENTED_HEADER_BYTES,
  SEGMENTED_ALGORITHMS,
  type SegmentedAlgorithm,
} from "./segmented/format.js";
export {
  createSegmentedCodec,
  SEGMENTED_CODEC_VERSION,
  SegmentedCodec,
  type SegmentedCodecOptions,
  segmentedCodecId,
} from "./segmented/segmented-codec.js";
export type { ByteSource } from "./segmented/stream-adapters.js";
export { type SegmentedDecryptOptions, StreamingDecryptor } from "./segmented/streaming-decryptor.js";
export { type SegmentedEncryptOptions, StreamingEncryptor } from "./segmented/streaming-encryptor.js";
