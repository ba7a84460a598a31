import { Buffer, isUtf8 } from "node:buffer";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { StoreIntegrityError, StoreSerializationError } from "../errors.js";
import type { Codec } from "./codec.js";
import { CodecChain } from "./codec-chain.js";
import { hasChainMagic } from "./header.js";

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface DocumentSerializerOptions {
  /** A codec chain: output is framed with a self-describing header. */
  codecs?: readonly Codec[];
  /** Plain gzip without a header, as Truthound (Python) writes `.json.gz`. Ignored when `codecs` is set. */
  rawGzip?: boolean;
  /** Indent JSON by 2 spaces, as Python's `pretty_print`. */
  prettyPrint?: boolean;
}

const encoder = new TextEncoder();

/**
 * Turns a JSON document into stored bytes and back. Reading detects the format, so a store reads codec-framed,
 * raw-gzip and plain JSON documents whatever it is configured to write.
 */
export class DocumentSerializer {
  readonly #chain: CodecChain | undefined;
  readonly #rawGzip: boolean;
  readonly #indent: number | undefined;

  constructor(options: DocumentSerializerOptions = {}) {
    this.#chain = options.codecs && options.codecs.length > 0 ? new CodecChain(options.codecs) : undefined;
    this.#rawGzip = this.#chain === undefined && options.rawGzip === true;
    this.#indent = options.prettyPrint ? 2 : undefined;
  }

  /** True when stored bytes are not plain JSON (so a file extension like `.gz` may apply). */
  get compressed(): boolean {
    return this.#rawGzip;
  }

  get framed(): boolean {
    return this.#chain !== undefined;
  }

  async serialize(document: unknown): Promise<Uint8Array> {
    let json: string;
    try {
      json = JSON.stringify(document, null, this.#indent);
    } catch (cause) {
      throw new StoreSerializationError("Document cannot be serialized to JSON", { cause });
    }
    const bytes = encoder.encode(json);
    if (this.#chain) return this.#chain.encode(bytes);
    if (this.#rawGzip) return new Uint8Array(await gzip(bytes));
    return bytes;
  }

  async deserialize(bytes: Uint8Array): Promise<unknown> {
    let plain = bytes;
    if (hasChainMagic(bytes)) {
      plain = await (this.#chain ?? new CodecChain([])).decode(bytes);
    } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        plain = new Uint8Array(await gunzip(bytes, { chunkSize: 1 << 20 }));
      } catch (cause) {
        throw new StoreIntegrityError("Stored gzip document is corrupt or truncated", { cause });
      }
    }
    if (!isUtf8(plain)) throw new StoreSerializationError("Stored document is not valid UTF-8 (corrupt)");
    try {
      return JSON.parse(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString("utf8"));
    } catch (cause) {
      throw new StoreSerializationError("Stored document is not valid JSON (corrupt or truncated)", {
        cause,
      });
    }
  }
}
