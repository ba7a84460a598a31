import { describeCodecConformance } from "@truthound/store-testkit";
import { checksumCodec, createPasswordCodec } from "../src/index.js";

describeCodecConformance(
  "password-aes-256-gcm (Argon2id, test cost)",
  () =>
    createPasswordCodec("conformance password", {
      kdfParams: { memoryKiB: 1024, iterations: 1, parallelism: 1 },
    }),
  { authenticated: true, propertyRuns: 20 },
);

describeCodecConformance(
  "password-xchacha20-poly1305 (PBKDF2, test cost)",
  () =>
    createPasswordCodec("conformance password", {
      algorithm: "xchacha20-poly1305",
      kdf: "pbkdf2-sha256",
      kdfParams: { iterations: 1000 },
    }),
  { authenticated: true, propertyRuns: 20 },
);

describeCodecConformance("sha256-checksum", () => checksumCodec(), {
  authenticated: false,
  propertyRuns: 30,
});
