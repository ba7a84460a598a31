import { registerCompressor } from "@truthound/codec-compression";
import { lz4Provider } from "./lz4-provider.js";

registerCompressor(lz4Provider);

export { lz4Provider };
