// The testkit is imported by path: listing it as a dependency of core would make a package cycle.
import { describeCodecConformance } from "../../testkit/src/index.js";
import { gzipCodec } from "../src/index.js";

describeCodecConformance("gzipCodec", () => gzipCodec(), { authenticated: false });
describeCodecConformance("gzipCodec level 9", () => gzipCodec({ level: 9 }), {
  authenticated: false,
  propertyRuns: 20,
});
