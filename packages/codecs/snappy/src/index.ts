import { registerCompressor } from "@truthound/codec-compression";
import { snappyProvider } from "./snappy-provider.js";

registerCompressor(snappyProvider);

export { snappyProvider };
