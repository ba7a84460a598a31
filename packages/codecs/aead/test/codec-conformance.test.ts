import { describeCodecConformance } from "@truthound/store-testkit";
import {
  AEAD_ALGORITHMS,
  createAeadCodec,
  createSegmentedCodec,
  generateKey,
  SEGMENTED_ALGORITHMS,
} from "../src/index.js";
import { VersionedKeys } from "./helpers/versioned-keys.js";

for (const algorithm of AEAD_ALGORITHMS) {
  const key = generateKey(algorithm);
  describeCodecConformance(`${algorithm} (raw key)`, () => createAeadCodec({ algorithm, key, keyId: "k1" }), {
    authenticated: true,
    propertyRuns: 30,
  });
}

const provider = new VersionedKeys("aes-256-gcm");
provider.create("records");
provider.rotate("records");
describeCodecConformance(
  "aes-256-gcm (key provider, version 2)",
  () => createAeadCodec({ algorithm: "aes-256-gcm", keyProvider: provider, keyId: "records" }),
  { authenticated: true, propertyRuns: 20 },
);

for (const algorithm of SEGMENTED_ALGORITHMS) {
  const key = generateKey(algorithm);
  describeCodecConformance(
    `${algorithm}-hkdf-stream (segmented, 4 KiB segments)`,
    () => createSegmentedCodec({ algorithm, key, segmentSize: 4096 }),
    { authenticated: true, propertyRuns: 20 },
  );
}

describeCodecConformance(
  "aes-256-gcm-hkdf-stream (key provider, 64 KiB segments)",
  () => createSegmentedCodec({ keyProvider: provider, keyId: "records" }),
  { authenticated: true, propertyRuns: 10 },
);
