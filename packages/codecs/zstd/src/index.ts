import { registerCompressor } from "@truthound/codec-compression";
import { zstdProvider } from "./zstd-provider.js";

registerCompressor(zstdProvider);

export { zstdProvider };
