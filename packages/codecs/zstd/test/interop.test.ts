import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { getCompressor, readFrame } from "@truthound/codec-compression";
import { makeResults } from "@truthound/store-testkit";
import { describe, expect, it } from "vitest";
import { decompress as zstdNapiDecompress } from "zstd-napi";
import "../src/index.js";

const json = Buffer.from(JSON.stringify(makeResults(60, { seed: 2 }).map((r) => r.toDict())));
const zstdCli = ["/usr/bin/zstd", "/usr/local/bin/zstd"].find((path) => existsSync(path));

describe("the payload of a zstd frame is a standard zstd frame", () => {
  it("zstd-napi's own decompress reads it", () => {
    const payload = readFrame(getCompressor("zstd", { level: "high" }).compress(json)).payload;
    expect(zstdNapiDecompress(payload).equals(json)).toBe(true);
  });

  it.skipIf(zstdCli === undefined)("the zstd command-line tool reads it", () => {
    const payload = readFrame(getCompressor("zstd").compress(json)).payload;
    const out = execFileSync(zstdCli as string, ["-d", "-c", "-q"], { input: payload, maxBuffer: 64 << 20 });
    expect(out.equals(json)).toBe(true);
  });
});
