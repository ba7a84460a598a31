import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CHAIN_MAGIC,
  type Codec,
  CodecChain,
  DocumentSerializer,
  gzipCodec,
  isStoreError,
  readChainHeader,
  registerCodec,
  type StoreError,
  writeChainHeader,
} from "../src/index.js";

const text = (s: string) => new TextEncoder().encode(s);

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw new Error(`untyped error: ${String(error)}`);
  }
  throw new Error("expected a failure");
}

/** Reverses the bytes and records a parameter, to check order and params without compression. */
function reverseCodec(version = 1): Codec {
  return {
    id: "test-reverse",
    version,
    authenticated: false,
    headerParams: () => ({ flavour: "reversed" }),
    encode: async (data) => Uint8Array.from(data).reverse(),
    decode: async (data, { params }) => {
      if (params.flavour !== "reversed") throw new Error("params were not passed back");
      return Uint8Array.from(data).reverse();
    },
  };
}

describe("codec chain header", () => {
  it("round-trips its entries and splits header from payload", () => {
    const entries = [
      { id: "gzip", v: 1, p: {} },
      { id: "aes-256-gcm", v: 2, p: { kid: "k1", nonce: "AAEC" } },
    ];
    const header = writeChainHeader(entries);
    expect([...header.subarray(0, 4)]).toEqual([...CHAIN_MAGIC]);
    const framed = new Uint8Array([...header, 1, 2, 3]);
    const parsed = readChainHeader(framed);
    expect(parsed.entries).toEqual(entries);
    expect([...parsed.headerBytes]).toEqual([...header]);
    expect([...parsed.payload]).toEqual([1, 2, 3]);
  });

  it.each([
    ["no magic", (h: Uint8Array) => h.subarray(4)],
    ["unknown frame version", (h: Uint8Array) => Uint8Array.from(h, (b, i) => (i === 4 ? 9 : b))],
    ["truncated header", (h: Uint8Array) => h.subarray(0, h.length - 2)],
    ["corrupt header JSON", (h: Uint8Array) => Uint8Array.from(h, (b, i) => (i === 7 ? 0x20 : b))],
    ["header without entries", () => writeChainHeader([{ id: 1, v: 1, p: {} } as never])],
  ])("rejects %s with INTEGRITY", (_why, tamper) => {
    const header = writeChainHeader([{ id: "gzip", v: 1, p: {} }]);
    let error: unknown;
    try {
      readChainHeader(tamper(header));
    } catch (caught) {
      error = caught;
    }
    expect(isStoreError(error, "INTEGRITY")).toBe(true);
  });
});

describe("CodecChain", () => {
  it("applies codecs in order, records their params and decodes in reverse", async () => {
    const chain = new CodecChain([reverseCodec(), gzipCodec()]);
    const data = text("hello, chain");
    const framed = await chain.encode(data);
    expect(readChainHeader(framed).entries).toEqual([
      { id: "test-reverse", v: 1, p: { flavour: "reversed" } },
      { id: "gzip", v: 1, p: {} },
    ]);
    expect(new TextDecoder().decode(await chain.decode(framed))).toBe("hello, chain");
  });

  it("decodes with codecs from the registry when the reader is configured differently", async () => {
    const framed = await new CodecChain([gzipCodec({ level: 9 })]).encode(text("x".repeat(1000)));
    expect(new TextDecoder().decode(await new CodecChain([]).decode(framed))).toBe("x".repeat(1000));
  });

  it("fails with INTEGRITY when the payload is tampered with", async () => {
    const framed = await new CodecChain([gzipCodec()]).encode(text("payload ".repeat(100)));
    const tampered = Uint8Array.from(framed);
    tampered[tampered.length - 6] = (tampered[tampered.length - 6] as number) ^ 0xff;
    expect((await failure(new CodecChain([gzipCodec()]).decode(tampered))).code).toBe("INTEGRITY");
    expect(
      (await failure(new CodecChain([gzipCodec()]).decode(framed.subarray(0, framed.length - 10)))).code,
    ).toBe("INTEGRITY");
  });

  it("wraps an untyped codec failure as INTEGRITY", async () => {
    const broken: Codec = { ...reverseCodec(), decode: async () => Promise.reject(new Error("boom")) };
    const framed = await new CodecChain([reverseCodec()]).encode(text("x"));
    expect((await failure(new CodecChain([broken]).decode(framed))).code).toBe("INTEGRITY");
  });

  it("refuses an unknown codec with UNSUPPORTED and a newer codec version with INTEGRITY", async () => {
    const unknown = { ...reverseCodec(), id: "never-registered" };
    const framed = await new CodecChain([unknown]).encode(text("x"));
    expect((await failure(new CodecChain([]).decode(framed))).code).toBe("UNSUPPORTED");
    const newer = await new CodecChain([reverseCodec(2)]).encode(text("x"));
    expect((await failure(new CodecChain([reverseCodec(1)]).decode(newer))).code).toBe("INTEGRITY");
  });

  it("registered codecs decode data their configuration no longer lists", async () => {
    registerCodec("test-reverse", () => reverseCodec());
    const framed = await new CodecChain([reverseCodec()]).encode(text("abc"));
    expect(new TextDecoder().decode(await new CodecChain([gzipCodec()]).decode(framed))).toBe("abc");
  });
});

describe("DocumentSerializer", () => {
  const doc = { run_id: "r", nested: { list: [1, "é", null] } };

  it("writes plain JSON, pretty JSON, raw gzip or a framed chain, and reads each back", async () => {
    const plain = await new DocumentSerializer().serialize(doc);
    expect(new TextDecoder().decode(plain)).toBe(JSON.stringify(doc));
    const pretty = await new DocumentSerializer({ prettyPrint: true }).serialize(doc);
    expect(new TextDecoder().decode(pretty)).toBe(JSON.stringify(doc, null, 2));
    const gz = await new DocumentSerializer({ rawGzip: true }).serialize(doc);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    const framed = await new DocumentSerializer({ codecs: [gzipCodec()] }).serialize(doc);
    expect([...framed.subarray(0, 4)]).toEqual([...CHAIN_MAGIC]);
    for (const reader of [
      new DocumentSerializer(),
      new DocumentSerializer({ rawGzip: true }),
      new DocumentSerializer({ codecs: [gzipCodec()] }),
    ]) {
      for (const bytes of [plain, pretty, gz, framed]) expect(await reader.deserialize(bytes)).toEqual(doc);
    }
  });

  it("reads a Python .json.gz (gzip of indented JSON)", async () => {
    const python = gzipSync(Buffer.from(JSON.stringify(doc, null, 2)));
    expect(await new DocumentSerializer().deserialize(new Uint8Array(python))).toEqual(doc);
  });

  it("reports corrupt input with typed errors", async () => {
    const serializer = new DocumentSerializer();
    const gz = await new DocumentSerializer({ rawGzip: true }).serialize(doc);
    expect((await failure(serializer.deserialize(gz.subarray(0, gz.length - 4)))).code).toBe("INTEGRITY");
    expect((await failure(serializer.deserialize(text('{"run_id": "r"')))).code).toBe("SERIALIZATION");
    expect((await failure(serializer.deserialize(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).code).toBe(
      "SERIALIZATION",
    );
    expect((await failure(serializer.deserialize(new Uint8Array(0)))).code).toBe("SERIALIZATION");
    expect((await failure(serializer.deserialize(CHAIN_MAGIC))).code).toBe("INTEGRITY");
  });

  it("refuses documents that cannot be JSON with SERIALIZATION", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await failure(new DocumentSerializer().serialize(cyclic))).code).toBe("SERIALIZATION");
    expect((await failure(new DocumentSerializer().serialize({ n: 10n }))).code).toBe("SERIALIZATION");
  });
});
