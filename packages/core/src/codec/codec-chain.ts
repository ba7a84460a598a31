import { isStoreError, StoreIntegrityError } from "../errors.js";
import type { Codec } from "./codec.js";
import { resolveCodec } from "./codec-registry.js";
import { type ChainHeaderEntry, readChainHeader, writeChainHeader } from "./header.js";

/**
 * Applies codecs in order on encode (e.g. compress, then encrypt) and in reverse on decode, framing the output
 * with a self-describing header. Decoding reads the header, so it needs no configuration beyond secrets.
 */
export class CodecChain {
  readonly codecs: readonly Codec[];

  constructor(codecs: readonly Codec[]) {
    this.codecs = codecs;
  }

  async encode(data: Uint8Array): Promise<Uint8Array> {
    const entries: ChainHeaderEntry[] = this.codecs.map((c) => ({
      id: c.id,
      v: c.version,
      p: c.headerParams(),
    }));
    const header = writeChainHeader(entries);
    let body = data;
    for (const [i, codec] of this.codecs.entries()) {
      body = await codec.encode(body, { aad: header, params: (entries[i] as ChainHeaderEntry).p });
    }
    const out = new Uint8Array(header.length + body.length);
    out.set(header, 0);
    out.set(body, header.length);
    return out;
  }

  async decode(framed: Uint8Array): Promise<Uint8Array> {
    const { entries, headerBytes, payload } = readChainHeader(framed);
    let body = payload;
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as ChainHeaderEntry;
      const codec = resolveCodec(entry.id, entry.p, this.codecs);
      if (entry.v > codec.version) {
        throw new StoreIntegrityError(
          `Codec '${entry.id}' version ${entry.v} is newer than this one (${codec.version})`,
        );
      }
      try {
        body = await codec.decode(body, { aad: headerBytes, params: entry.p });
      } catch (error) {
        if (isStoreError(error)) throw error;
        throw new StoreIntegrityError(`Codec '${entry.id}' could not decode the data`, { cause: error });
      }
    }
    return body;
  }
}
