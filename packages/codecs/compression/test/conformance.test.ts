import { describeCodecConformance } from "@truthound/store-testkit";
import {
  adaptiveCodec,
  CompressionPipeline,
  compressionCodec,
  DeduplicationTransform,
  pipelineCodec,
} from "../src/index.js";

for (const algorithm of ["gzip", "deflate-raw", "zlib", "brotli"]) {
  describeCodecConformance(`compressionCodec('${algorithm}')`, () => compressionCodec(algorithm), {
    authenticated: false,
    propertyRuns: 40,
  });
}

describeCodecConformance(
  "compressionCodec('brotli', maximum)",
  () => compressionCodec("brotli", { level: "maximum" }),
  {
    authenticated: false,
    propertyRuns: 10,
    largeBytes: 256 * 1024,
  },
);

describeCodecConformance("adaptiveCodec(balanced)", () => adaptiveCodec({ goal: "balanced" }), {
  authenticated: false,
  propertyRuns: 20,
});

describeCodecConformance(
  "pipelineCodec(dedup + zlib + checksum)",
  () =>
    pipelineCodec(
      new CompressionPipeline("conformance")
        .addTransform(new DeduplicationTransform())
        .addCompression("zlib")
        .addChecksum(),
    ),
  { authenticated: false, propertyRuns: 30 },
);
