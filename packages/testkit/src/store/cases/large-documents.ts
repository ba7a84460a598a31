import { randomBytes } from "node:crypto";
import { ValidatorResult } from "@truthound/store-core";
import { expect } from "vitest";
import { expectSameResult, expectSameResults } from "../../assertions.js";
import { makeResult } from "../../fixtures.js";
import type { ConformanceCase } from "../case.js";

export const largeDocumentCases: ConformanceCase[] = [
  {
    group: "largeDocuments",
    name: "a document of several MiB round-trips through save, get and query",
    slow: true,
    async run({ harness, options }) {
      const store = await harness.open();
      const validators = Array.from(
        { length: 2000 },
        (_, i) =>
          new ValidatorResult({
            validatorName: `validator_${i}`,
            success: i % 7 !== 0,
            column: `column_${i % 40}`,
            severity: i % 7 === 0 ? "high" : null,
            details: { sample_values: [i, `v${i}`, null] },
            executionTimeMs: i / 10,
          }),
      );
      // Random base64 does not compress, so codecs and transports really carry the full size.
      const blob = randomBytes(Math.ceil((options.largeDocumentBytes * 3) / 4)).toString("base64");
      const big = makeResult({ dataAsset: "huge.parquet", results: validators, metadata: { blob } });
      expect(JSON.stringify(big.toDict()).length).toBeGreaterThanOrEqual(options.largeDocumentBytes);
      await store.save(big);
      expectSameResult(await store.get(big.runId), big);
      expectSameResults(await store.query({ dataAsset: "huge.parquet" }), [big]);
    },
  },
];
