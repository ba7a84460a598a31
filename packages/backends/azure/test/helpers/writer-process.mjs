// A writer process for the multi-process test; imports the built package (run `tsc -b` first).
//   CONTAINER COMPATIBILITY WRITER COUNT SHARED -> saves COUNT own ids and overwrites SHARED shared ids, then exits

import { AzureBlobStore } from "@truthound/store-azure";
import { ValidationResult } from "@truthound/store-core";

const [container, compatibility, writer, countText, sharedText] = process.argv.slice(2);
const store = new AzureBlobStore({
  container,
  compatibility,
  namespace: "mp",
  connectionString: process.env.TRUTHOUND_TEST_AZURE_CONNECTION_STRING,
});
const STATUSES = ["success", "failure", "warning", "error"];

function result(runId, asset, i) {
  return new ValidationResult({
    runId,
    runTime: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    dataAsset: asset,
    status: STATUSES[i % 4],
    tags: { writer },
    metadata: { payload: "x".repeat(200 + (i % 7) * 300) },
  });
}

async function pool(count, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

await pool(Number(countText), 8, (i) => store.save(result(`${writer}-${i}`, `asset-${i % 5}`, i)));
await pool(Number(sharedText), 4, (i) => store.save(result(`shared-${i}`, `owner-${writer}`, i)));
await store.close();
process.stdout.write("done\n");
