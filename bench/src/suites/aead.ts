import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomFillSync,
} from "node:crypto";
import {
  type AeadCodec,
  type AeadKey,
  bytesReader,
  ChunkedDecryptor,
  ChunkedEncryptor,
  createAeadCodec,
  EnvelopeEncryption,
  generateKey,
  getEncryptor,
  StreamingEncryptor,
} from "@truthound/codec-aead";
import { writeChainHeader } from "@truthound/store-core";
import { type ComparisonFigures, compare, type Subject, sampleLatencies } from "../harness.js";
import { median } from "../stats.js";
import type { ComparisonRecord, Measurement, Suite } from "../suite.js";
import { checkTarget, type TargetOutcome } from "../targets.js";

const KiB = 1024;
const MiB = 1024 * KiB;
type Cipher = ReturnType<typeof createCipheriv> & { getAuthTag(): Buffer };
type Decipher = ReturnType<typeof createDecipheriv> & { setAuthTag(tag: Uint8Array): unknown };
// The typings of this @types/node lack the chacha20-poly1305 overloads; the runtime has them.
const rawCipher = createCipheriv as unknown as (n: string, k: KeyObject, iv: Uint8Array, o: object) => Cipher;
const rawDecipher = createDecipheriv as unknown as (
  n: string,
  k: KeyObject,
  iv: Uint8Array,
  o: object,
) => Decipher;
const TAG = { authTagLength: 16 };

function payload(bytes: number): Buffer {
  return randomFillSync(Buffer.allocUnsafe(bytes));
}

/** Raw node:crypto one-shot encryption: fresh random IV (reused buffer), update, final, tag; no framing. */
function rawEncrypt(cipherName: string, key: KeyObject, data: Uint8Array): Subject {
  const iv = Buffer.alloc(12);
  return {
    name: `raw node:crypto ${cipherName} (randomFillSync iv, update, final, getAuthTag)`,
    op: () => {
      randomFillSync(iv);
      const cipher = rawCipher(cipherName, key, iv, TAG);
      const ct = cipher.update(data);
      cipher.final();
      return [ct, cipher.getAuthTag()];
    },
  };
}

function rawDecrypt(
  cipherName: string,
  key: KeyObject,
  sealed: { iv: Buffer; ct: Buffer; tag: Buffer },
): Subject {
  return {
    name: `raw node:crypto ${cipherName} decrypt (setAuthTag, update, final)`,
    op: () => {
      const decipher = rawDecipher(cipherName, key, sealed.iv, TAG);
      decipher.setAuthTag(sealed.tag);
      const pt = decipher.update(sealed.ct);
      decipher.final();
      return pt;
    },
  };
}

function sealRaw(cipherName: string, key: KeyObject, data: Uint8Array) {
  const iv = randomFillSync(Buffer.alloc(12));
  const cipher = rawCipher(cipherName, key, iv, TAG);
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

/** Microseconds per call from ops/s. */
const usPerOp = (opsPerSec: number) => 1e6 / opsPerSec;

export const aeadSuite: Suite = {
  id: "aead",
  title: "AEAD codecs: one-shot, XChaCha20, streaming, random access",
  async run({ samples, quick, log }) {
    const comparisons: ComparisonRecord[] = [];
    const measurements: Measurement[] = [];
    const targets: TargetOutcome[] = [];
    const run = async (
      name: string,
      description: string,
      candidate: Subject,
      baselines: Subject[],
      bytes: number,
    ): Promise<ComparisonFigures> => {
      // 64 MiB of work per block (about 30-60 ms here), at most 10,000 calls for small sizes.
      const opsPerSample = quick ? 3 : Math.max(4, Math.min(10_000, Math.round((64 * MiB) / bytes)));
      log(`aead: ${name} (${opsPerSample} ops per block)`);
      const figures = await compare({
        candidate,
        baselines,
        samples,
        opsPerSample,
        warmupOps: Math.ceil(opsPerSample / 2),
      });
      comparisons.push({ name, description, figures });
      return figures;
    };
    const ratioOf = (f: ComparisonFigures) => f.baselines[0]?.ratio.median ?? Number.NaN;

    // 1. One-shot AEAD through getEncryptor vs raw node:crypto, per algorithm and size.
    for (const algorithm of ["aes-256-gcm", "aes-128-gcm", "chacha20-poly1305"] as const) {
      const raw = generateKey(algorithm);
      const keyObject = createSecretKey(raw);
      const encryptor = getEncryptor(algorithm);
      const key: AeadKey = encryptor.importKey(raw);
      const sizes = algorithm === "aes-256-gcm" ? [KiB, 64 * KiB, MiB, 16 * MiB] : [KiB, MiB];
      for (const size of sizes) {
        if (quick && size > MiB) continue;
        const data = payload(size);
        const label = size >= MiB ? `${size / MiB}MiB` : `${size / KiB}KiB`;
        const enc = await run(
          `${algorithm}-encrypt-${label}`,
          `getEncryptor("${algorithm}").encrypt (nonce ‖ ct ‖ tag, one output) vs raw node:crypto`,
          { name: `getEncryptor("${algorithm}").encrypt`, op: () => encryptor.encrypt(data, key) },
          [rawEncrypt(algorithm, keyObject, data)],
          size,
        );
        const sealed = encryptor.encrypt(data, key);
        const rawSealed = sealRaw(algorithm, keyObject, data);
        const dec = await run(
          `${algorithm}-decrypt-${label}`,
          `getEncryptor("${algorithm}").decrypt vs raw node:crypto`,
          { name: `getEncryptor("${algorithm}").decrypt`, op: () => encryptor.decrypt(sealed, key) },
          [rawDecrypt(algorithm, keyObject, rawSealed)],
          size,
        );
        if (size >= MiB) {
          const pieces = await run(
            `${algorithm}-encrypt-pieces-${label}`,
            `getEncryptor("${algorithm}").encryptToPieces ([nonce, ct, tag], no copy) vs raw node:crypto`,
            {
              name: `getEncryptor("${algorithm}").encryptToPieces`,
              op: () => encryptor.encryptToPieces(data, key),
            },
            [rawEncrypt(algorithm, keyObject, data)],
            size,
          );
          targets.push(
            checkTarget(
              `${algorithm} encryptToPieces ${label} vs raw node:crypto`,
              ratioOf(pieces),
              ">=",
              0.9,
              "×",
            ),
          );
          targets.push(
            checkTarget(
              `${algorithm} encrypt ${label} (one contiguous output) vs raw node:crypto`,
              ratioOf(enc),
              ">=",
              0.9,
              "×",
            ),
          );
          targets.push(
            checkTarget(`${algorithm} decrypt ${label} vs raw node:crypto`, ratioOf(dec), ">=", 0.9, "×"),
          );
        } else if (size === 64 * KiB) {
          targets.push(
            checkTarget(`${algorithm} encrypt 64KiB vs raw node:crypto`, ratioOf(enc), ">=", 0.85, "×"),
          );
        } else if (size === KiB) {
          const overhead = (f: ComparisonFigures) =>
            usPerOp(f.candidate.opsPerSec.median) - usPerOp(f.baselines[0]?.opsPerSec.median ?? Number.NaN);
          measurements.push({
            name: `${algorithm} raw encrypt 1KiB per call`,
            value: usPerOp(enc.baselines[0]?.opsPerSec.median ?? Number.NaN),
            unit: "µs",
          });
          targets.push(
            checkTarget(`${algorithm} encrypt 1KiB overhead per call over raw`, overhead(enc), "<=", 3, "µs"),
          );
          measurements.push({
            name: `${algorithm} decrypt 1KiB overhead per call over raw`,
            value: overhead(dec),
            unit: "µs",
          });
        }
      }
    }

    // 2. XChaCha20-Poly1305 (HChaCha20 in JS + node's ChaCha20-Poly1305) vs raw ChaCha20-Poly1305.
    {
      const raw = generateKey("xchacha20-poly1305");
      const keyObject = createSecretKey(raw);
      const xchacha = getEncryptor("xchacha20-poly1305");
      const key = xchacha.importKey(raw);
      for (const size of [KiB, 64 * KiB, MiB]) {
        const data = payload(size);
        const label = size >= MiB ? `${size / MiB}MiB` : `${size / KiB}KiB`;
        const f = await run(
          `xchacha20-poly1305-encrypt-${label}`,
          "XChaCha20-Poly1305 encrypt vs raw node:crypto chacha20-poly1305",
          { name: 'getEncryptor("xchacha20-poly1305").encrypt', op: () => xchacha.encrypt(data, key) },
          [rawEncrypt("chacha20-poly1305", keyObject, data)],
          size,
        );
        if (size >= 64 * KiB) {
          targets.push(
            checkTarget(
              `xchacha20-poly1305 encrypt ${label} vs raw chacha20-poly1305`,
              ratioOf(f),
              ">=",
              0.9,
              "×",
            ),
          );
        } else {
          const overhead =
            usPerOp(f.candidate.opsPerSec.median) - usPerOp(f.baselines[0]?.opsPerSec.median ?? Number.NaN);
          targets.push(
            checkTarget(
              "xchacha20-poly1305 encrypt 1KiB overhead per call over raw chacha20-poly1305",
              overhead,
              "<=",
              5,
              "µs",
            ),
          );
        }
      }
    }

    // 3. The AEAD chain codec (key commitment, key id/version, header AAD), for information.
    {
      const raw = generateKey("aes-256-gcm");
      const keyObject = createSecretKey(raw);
      const codec: AeadCodec = await createAeadCodec({ algorithm: "aes-256-gcm", key: raw });
      const params = codec.headerParams();
      const context = { aad: writeChainHeader([{ id: codec.id, v: codec.version, p: params }]), params };
      for (const size of [KiB, MiB]) {
        const data = payload(size);
        const label = size >= MiB ? "1MiB" : "1KiB";
        const f = await run(
          `aes-256-gcm-codec-encode-${label}`,
          "AeadCodec.encode (commitment HMAC, header as AAD) vs raw node:crypto (information)",
          { name: "createAeadCodec(aes-256-gcm).encode", op: () => codec.encode(data, context) },
          [rawEncrypt("aes-256-gcm", keyObject, data)],
          size,
        );
        measurements.push({
          name: `AeadCodec.encode ${label} overhead per call over raw`,
          value:
            usPerOp(f.candidate.opsPerSec.median) - usPerOp(f.baselines[0]?.opsPerSec.median ?? Number.NaN),
          unit: "µs",
        });
      }
    }

    // 4. Streaming (64 KiB segments, output as a piece list) vs one-shot raw AEAD.
    const key = generateKey("aes-256-gcm");
    const keyObject = createSecretKey(key);
    for (const size of quick ? [MiB] : [MiB, 16 * MiB]) {
      const data = payload(size);
      const label = `${size / MiB}MiB`;
      const f = await run(
        `streaming-encrypt-${label}`,
        "StreamingEncryptor (aes-256-gcm, 64 KiB segments, per-object HKDF) vs one-shot raw node:crypto",
        {
          name: "StreamingEncryptor update(whole buffer) + final, 64 KiB segments",
          op: () => {
            const encryptor = new StreamingEncryptor(key);
            const pieces = encryptor.update(data);
            pieces.push(...encryptor.final());
            return pieces;
          },
        },
        [rawEncrypt("aes-256-gcm", keyObject, data)],
        size,
      );
      targets.push(
        checkTarget(
          `streaming encrypt ${label} vs one-shot raw`,
          ratioOf(f),
          ">=",
          size >= 16 * MiB ? 0.85 : 0.7,
          "×",
        ),
      );
    }

    // 5. Random access: open (header read, HKDF, commitment check) + decrypt one 64 KiB segment of a 16 MiB object.
    {
      const objectBytes = quick ? 2 * MiB : 16 * MiB;
      const object = new ChunkedEncryptor(key).encrypt(payload(objectBytes));
      const reader = bytesReader(object);
      const segments = objectBytes / (64 * KiB);
      const count = quick ? 50 : 2000;
      const cold = await sampleLatencies(
        async (i) => (await ChunkedDecryptor.open(reader, key)).decryptSegment((i * 7919) % segments),
        count,
        200,
      );
      const open = await ChunkedDecryptor.open(reader, key);
      const warm = await sampleLatencies((i) => open.decryptSegment((i * 7919) % segments), count, 200);
      const coldUs = median(cold) * 1000;
      const warmUs = median(warm) * 1000;
      measurements.push({
        name: "random access: open + one 64 KiB segment (p50)",
        value: coldUs,
        unit: "µs",
      });
      measurements.push({
        name: "random access: one 64 KiB segment, object already open (p50)",
        value: warmUs,
        unit: "µs",
      });
      targets.push(
        checkTarget(
          "random access to one 64 KiB segment incl. header parse + HKDF (p50)",
          coldUs,
          "<=",
          75,
          "µs",
        ),
      );
      targets.push(
        checkTarget("random access to one 64 KiB segment, derived key cached (p50)", warmUs, "<=", 40, "µs"),
      );
    }

    // 6. Envelope: DEK generate + wrap + 1 KiB data, and unwrap + decrypt (local KEK), for information.
    {
      const envelope = new EnvelopeEncryption({ key: generateKey("aes-256-gcm"), keyId: "kek" });
      const data = payload(KiB);
      const sealed = await envelope.encrypt(data);
      const enc = await sampleLatencies(() => envelope.encrypt(data), quick ? 50 : 5000, 500);
      const dec = await sampleLatencies(
        () => envelope.decrypt(sealed.ciphertext, sealed.wrappedKey),
        quick ? 50 : 5000,
        500,
      );
      measurements.push({
        name: "envelope encrypt 1 KiB (DEK + wrap + data, p50)",
        value: median(enc) * 1000,
        unit: "µs",
      });
      measurements.push({
        name: "envelope decrypt 1 KiB (unwrap + data, p50)",
        value: median(dec) * 1000,
        unit: "µs",
      });
    }

    return {
      setup: [
        "Random payloads; keys generated once. Raw baselines: node:crypto createCipheriv/update/final/getAuthTag with a KeyObject and a reused 12-byte IV buffer refilled by randomFillSync per call, output left as [ciphertext, tag] pieces (no framing, no copy).",
        "Candidates: getEncryptor(alg).encrypt with an imported AeadKey returns one buffer nonce ‖ ciphertext ‖ tag (pooled CSPRNG nonce, per-key message counter); decrypt returns the verified plaintext.",
        "XChaCha20-Poly1305 = HChaCha20 in TypeScript + node:crypto chacha20-poly1305 with nonce 0x00000000 ‖ nonce[16..24].",
        "Streaming: StreamingEncryptor (aes-256-gcm, 64 KiB segments, 61-byte header, per-object HKDF-SHA256) fed the whole buffer, output as a piece list; compared to one raw one-shot AES-256-GCM call on the same bytes.",
        "Random access: a 16 MiB object in memory behind bytesReader; 'cold' = ChunkedDecryptor.open (header read + parse + HKDF + commitment check) + decryptSegment of a scattered segment; 'warm' = decryptSegment on an open object.",
      ],
      comparisons,
      measurements,
      targets,
    };
  },
};
