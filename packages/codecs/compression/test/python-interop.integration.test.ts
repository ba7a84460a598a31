import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { runPythonScript, truthoundPythonWith } from "@truthound/test-support";
import { describe, expect, it } from "vitest";
import { getCompressor, readFrame } from "../src/index.js";
import { resultJson } from "./helpers.js";

const python = truthoundPythonWith("gzip, zlib");
const script = fileURLToPath(new URL("./python/decompress.py", import.meta.url));

describe.skipIf(python === undefined)(
  "Python reads the payload of our frames with its standard library",
  () => {
    it("gzip.decompress, zlib.decompress and raw inflate (wbits=-15) give back the input", async () => {
      const json = resultJson(80);
      const formats = ["gzip", "zlib", "deflate-raw"];
      const items = formats.map((format) => ({
        format,
        data: Buffer.from(
          readFrame(getCompressor(format, { level: "high" }).compress(json)).payload,
        ).toString("base64"),
      }));
      const digests = await runPythonScript<string[]>(python as string, script, items);
      const expected = createHash("sha256").update(json).digest("hex");
      expect(digests).toEqual(formats.map(() => expected));
    });
  },
);
