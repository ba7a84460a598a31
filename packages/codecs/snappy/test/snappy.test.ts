import * as compression from "@truthound/codec-compression";
import { describeNativeCompressor } from "@truthound/test-support";
import "../src/index.js";

describeNativeCompressor("snappy", compression, { nativeLevels: [1, 1, 1, 1, 1] });
