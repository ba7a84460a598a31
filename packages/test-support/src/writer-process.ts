// A separate writer process for the multi-process tests; see WriterSpec. The backend module must be built.
import { type BaseStore, ValidationResult } from "@truthound/store-core";
import { WRITER_SPEC_ENV, type WriterSpec } from "./writer-spec.js";

const STATUSES = ["success", "failure", "warning", "error"] as const;

function result(runId: string, asset: string, i: number, writer: string): ValidationResult {
  return new ValidationResult({
    runId,
    runTime: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    dataAsset: asset,
    status: STATUSES[i % 4] as (typeof STATUSES)[number],
    tags: { writer },
    metadata: { payload: "x".repeat(200 + (i % 7) * 300) },
  });
}

async function pool(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function openStore(spec: WriterSpec): Promise<BaseStore<ValidationResult>> {
  const exports = (await import(spec.store.module)) as Record<string, unknown>;
  const StoreClass = exports[spec.store.exportName] as
    | (new (
        options: Record<string, unknown>,
      ) => BaseStore<ValidationResult>)
    | undefined;
  if (typeof StoreClass !== "function") {
    throw new Error(`${spec.store.module} has no export ${spec.store.exportName}`);
  }
  return new StoreClass(spec.store.options);
}

async function runChaos(store: BaseStore<ValidationResult>): Promise<never> {
  const writer = String(process.pid);
  let n = 0;
  let announced = false;
  const step = async () => {
    const i = n++;
    const id = `k-${Math.floor(Math.random() * 40)}`;
    if (Math.random() < 0.2) await store.delete(id);
    else
      await store.save(result(Math.random() < 0.3 ? `new-${writer}-${i}` : id, `asset-${i % 3}`, i, writer));
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
  throw new Error("the chaos writer stopped");
}

const specText = process.env[WRITER_SPEC_ENV];
if (specText === undefined) throw new Error(`${WRITER_SPEC_ENV} is not set`);
const spec = JSON.parse(specText) as WriterSpec;
const store = await openStore(spec);
if (spec.mode === "bulk") {
  const { writer } = spec;
  await pool(spec.saves, spec.concurrency, (i) =>
    store.save(result(`${writer}-${i}`, `asset-${i % 5}`, i, writer)),
  );
  await pool(spec.shared, 4, (i) => store.save(result(`shared-${i}`, `owner-${writer}`, i, writer)));
  await store.close();
  process.stdout.write("done\n");
} else if (spec.mode === "chaos") {
  await runChaos(store);
} else {
  throw new Error(`unknown writer mode ${(spec as { mode: unknown }).mode}`);
}
