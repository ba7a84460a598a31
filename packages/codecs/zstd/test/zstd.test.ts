import * as compression from "@truthound/codec-compression";
import { describeNativeCompressor } from "@truthound/test-support";
import "../src/index.js";

describeNativeCompressor("zstd", compression, { nativeLevels: [1, 2, 3, 9, 19] });
