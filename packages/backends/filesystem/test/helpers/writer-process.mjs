// A separate writer process for the multi-process tests. It imports the built package (run `tsc -b` first).
//   bulk  BASE LAYOUT PREFIX COUNT SHARED  -> saves COUNT own ids and overwrites SHARED shared ids, then exits
//   chaos BASE LAYOUT                      -> saves, overwrites and deletes forever (to be killed)
import { ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";

const [mode, basePath, layout, prefix, countText, sharedText] = process.argv.slice(2);
const store = new FileSystemStore({ basePath, layout, namespace: "mp" });
const STATUSES = ["success", "failure", "warning", "error"];

function result(runId, asset, i) {
  return new ValidationResult({
    runId,
    runTime: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    dataAsset: asset,
    status: STATUSES[i % 4],
    tags: { writer: String(process.pid) },
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

if (mode === "bulk") {
  const count = Number(countText);
  const shared = Number(sharedText);
  await pool(count, 16, (i) => store.save(result(`${prefix}-${i}`, `asset-${i % 5}`, i)));
  await pool(shared, 4, (i) => store.save(result(`shared-${i}`, `owner-${prefix}`, i)));
  await store.close();
  process.stdout.write("done\n");
} else if (mode === "chaos") {
  let n = 0;
  let announced = false;
  const step = async () => {
    const i = n++;
    const id = `k-${Math.floor(Math.random() * 40)}`;
    if (Math.random() < 0.2) await store.delete(id);
    else await store.save(result(Math.random() < 0.3 ? `new-${process.pid}-${i}` : id, `asset-${i % 3}`, i));
    if (!announced) {
      announced = true;
      process.stdout.write("ready\n");
    }
  };
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (;;) await step();
    }),
  );
} else {
  throw new Error(`unknown mode ${mode}`);
}
