/** What a codec sees besides its input: the chain header, which authenticated codecs must bind as AAD. */
export interface CodecContext {
  /** The serialized header of the chain this codec runs in. */
  aad: Uint8Array;
  /** The parameters this codec recorded in the header when it encoded (decode only). */
  params: Readonly<Record<string, unknown>>;
}

/**
 * Bytes in, bytes out. A codec records in `params` everything decoding needs besides secrets (key id and
 * version, KDF salt and parameters, level), so data written under old settings still decodes.
 */
export interface Codec {
  /** Stable identifier written into headers, e.g. "gzip" or "aes-256-gcm". */
  readonly id: string;
  /** Format version of this codec's output. */
  readonly version: number;
  /** True when `decode` detects any change to the data or the header (AEAD). */
  readonly authenticated: boolean;
  /** Parameters to record in the header for the next `encode`. */
  headerParams(): Record<string, unknown>;
  encode(data: Uint8Array, context: CodecContext): Promise<Uint8Array>;
  decode(data: Uint8Array, context: CodecContext): Promise<Uint8Array>;
  /** Streaming forms, where the codec supports them. */
  encodeStream?(context: CodecContext): TransformStream<Uint8Array, Uint8Array>;
  decodeStream?(context: CodecContext): TransformStream<Uint8Array, Uint8Array>;
}

/** Builds a codec able to decode what an earlier configuration wrote, from the params in the header. */
export type CodecFactory = (params: Readonly<Record<string, unknown>>) => Codec;
