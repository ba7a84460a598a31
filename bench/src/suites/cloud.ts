import { createHash, randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import { AzureBlobStore } from "@truthound/store-azure";
import {
  applyQuery,
  type IndexEntry,
  normalizeQuery,
  type StoreQuery,
  ValidationResult,
  validationResultAdapter,
} from "@truthound/store-core";
import { GCSStore } from "@truthound/store-gcs";
import { S3Store } from "@truthound/store-s3";
import { generateResults, ResultGenerator } from "demo/fixtures";
import { serviceEnvironment } from "../../../scripts/lib/services.mjs";
import { type ComparisonFigures, compare, type Subject, sampleLatencies } from "../harness.js";
import { percentile } from "../stats.js";
import type { ComparisonRecord, Measurement, Suite } from "../suite.js";
import { checkTarget, type TargetOutcome } from "../targets.js";

const MIB = 1024 * 1024;
const DAY_MS = 86_400_000;
const POOL_SIZE = 64;
const STORED_FOR_GETS = 200;
const IN_FLIGHT = [1, 16] as const;
/** Fixed, so the stored data and the queries are the same on every run. */
const NOW = new Date("2026-01-01T00:00:00.000Z");
const SPAN_DAYS = 365;
/** Compact JSON without compression, so store and raw SDK call move exactly the same bytes. */
const IO_OPTIONS = { prettyPrint: false, useCompression: false } as const;

/** The defaults, then the documented setting for a tighter memory bound. */
const STREAM_SETTINGS = [
  { label: "defaults: 8 MiB parts, 4 in flight", options: {} },
  { label: "uploadConcurrency 2", options: { uploadConcurrency: 2 } },
] as const;

type CloudStore = S3Store | GCSStore | AzureBlobStore;

/** One object store behind its store and its raw SDK, in a bucket/container made for this run. */
interface CloudBackend {
  id: "s3" | "gcs" | "azure";
  title: string;
  rawPutName: string;
  rawGetName: string;
  open(namespace: string, options?: Record<string, unknown>): CloudStore;
  rawPut(key: string, bytes: Uint8Array): Promise<unknown>;
  rawGet(key: string): Promise<Uint8Array>;
  drop(): Promise<void>;
}

const REQUIRED = [
  "TRUTHOUND_TEST_S3_ENDPOINT",
  "TRUTHOUND_TEST_S3_ACCESS_KEY",
  "TRUTHOUND_TEST_S3_SECRET_KEY",
  "TRUTHOUND_TEST_GCS_ENDPOINT",
  "TRUTHOUND_TEST_AZURE_CONNECTION_STRING",
] as const;

async function servers(): Promise<Record<(typeof REQUIRED)[number] | "TRUTHOUND_TEST_S3_REGION", string>> {
  const env = await serviceEnvironment();
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `cloud: the test servers are not configured (missing ${missing.join(", ")}): run scripts/services/start.sh (it writes .cache/services.env) or export the TRUTHOUND_TEST_* variables`,
    );
  }
  return {
    ...(env as Record<(typeof REQUIRED)[number], string>),
    TRUTHOUND_TEST_S3_REGION: env.TRUTHOUND_TEST_S3_REGION || "us-east-1",
  };
}

const runName = (label: string) => `tt-bench-${label}-${randomBytes(4).toString("hex")}`;

async function s3Backend(env: Awaited<ReturnType<typeof servers>>): Promise<CloudBackend> {
  const connection = {
    endpointUrl: env.TRUTHOUND_TEST_S3_ENDPOINT,
    region: env.TRUTHOUND_TEST_S3_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.TRUTHOUND_TEST_S3_ACCESS_KEY,
      secretAccessKey: env.TRUTHOUND_TEST_S3_SECRET_KEY,
    },
  };
  const client = new S3Client({
    endpoint: connection.endpointUrl,
    region: connection.region,
    forcePathStyle: true,
    credentials: connection.credentials,
  });
  const bucket = runName("s3");
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    id: "s3",
    title: "S3 (MinIO)",
    rawPutName: "raw S3Client PutObject",
    rawGetName: "raw S3Client GetObject + JSON.parse",
    open: (namespace, options = {}) => new S3Store({ ...connection, bucket, namespace, ...options }),
    rawPut: (key, bytes) =>
      client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: "application/json" }),
      ),
    rawGet: async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
    },
    drop: async () => {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key as string }));
        if (keys.length > 0) {
          await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    },
  };
}

async function gcsBackend(env: Awaited<ReturnType<typeof servers>>): Promise<CloudBackend> {
  const apiEndpoint = env.TRUTHOUND_TEST_GCS_ENDPOINT;
  const client = new Storage({ apiEndpoint, projectId: "truthound-bench" });
  const name = runName("gcs");
  await client.createBucket(name);
  const bucket = client.bucket(name);
  return {
    id: "gcs",
    title: "GCS (fake-gcs-server)",
    rawPutName: "raw File.save",
    rawGetName: "raw File.download + JSON.parse",
    open: (namespace, options = {}) =>
      new GCSStore({ apiEndpoint, project: "truthound-bench", bucket: name, namespace, ...options }),
    rawPut: (key, bytes) =>
      bucket.file(key).save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        resumable: false,
        contentType: "application/json",
      }),
    rawGet: async (key) => (await bucket.file(key).download())[0],
    drop: async () => {
      await bucket.deleteFiles({ force: true });
      await bucket.delete();
    },
  };
}

async function azureBackend(env: Awaited<ReturnType<typeof servers>>): Promise<CloudBackend> {
  const connectionString = env.TRUTHOUND_TEST_AZURE_CONNECTION_STRING;
  const container = runName("azure");
  const client: ContainerClient =
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  await client.create();
  return {
    id: "azure",
    title: "Azure Blob (Azurite)",
    rawPutName: "raw BlockBlobClient.uploadData",
    rawGetName: "raw BlobClient.downloadToBuffer + JSON.parse",
    open: (namespace, options = {}) =>
      new AzureBlobStore({ connectionString, container, namespace, ...options }),
    rawPut: (key, bytes) =>
      client
        .getBlockBlobClient(key)
        .uploadData(bytes, { blobHTTPHeaders: { blobContentType: "application/json" } }),
    rawGet: async (key) => client.getBlobClient(key).downloadToBuffer(),
    drop: async () => void (await client.deleteIfExists()),
  };
}

/** Gives result `i` a fresh id, so every save creates a new document as a pipeline would. */
function resultFor(pool: readonly ValidationResult[], i: number, tag: string): ValidationResult {
  const result = pool[i % pool.length] as ValidationResult;
  result.runId = `run_bench_${tag}_${String(i).padStart(7, "0")}`;
  return result;
}

const bytesOf = (result: ValidationResult) => Buffer.from(JSON.stringify(result.toDict()));

/** `op(i)` for `inFlight` operations at once: batch `i` runs operations `i*inFlight ...`. */
function batched(inFlight: number, op: (i: number) => Promise<unknown>): (i: number) => Promise<unknown> {
  if (inFlight === 1) return op;
  return (i) => Promise.all(Array.from({ length: inFlight }, (_, k) => op(i * inFlight + k)));
}

async function ioComparisons(
  backend: CloudBackend,
  pool: readonly ValidationResult[],
  samples: number,
  quick: boolean,
  log: (line: string) => void,
): Promise<{ comparisons: ComparisonRecord[]; targets: TargetOutcome[] }> {
  const comparisons: ComparisonRecord[] = [];
  const targets: TargetOutcome[] = [];
  const rawPrefix = "raw/";
  for (const inFlight of IN_FLIGHT) {
    const tag = `c${inFlight}`;
    const opsPerSample = quick ? 2 : inFlight === 1 ? 40 : 6;
    const warmupOps = quick ? 1 : inFlight === 1 ? 10 : 2;
    let store: CloudStore;
    const storeSave: Subject = {
      name: `${backend.title} store.save (document + index marker)`,
      setup: async () => {
        store = backend.open(`io-${tag}`, IO_OPTIONS);
        await store.initialize();
      },
      op: batched(inFlight, (i) => store.save(resultFor(pool, i, `s${tag}`))),
      teardown: () => store.close(),
    };
    const rawSave: Subject = {
      name: `${backend.rawPutName} of the same bytes`,
      op: batched(inFlight, (i) => {
        const result = resultFor(pool, i, `r${tag}`);
        return backend.rawPut(`${rawPrefix}${tag}/${result.runId}.json`, bytesOf(result));
      }),
    };
    const rawSaveWithMarker: Subject = {
      name: `${backend.rawPutName} of the same bytes + an empty marker object (information: the index's floor)`,
      op: batched(inFlight, async (i) => {
        const result = resultFor(pool, i, `m${tag}`);
        await backend.rawPut(`${rawPrefix}${tag}m/${result.runId}.json`, bytesOf(result));
        await backend.rawPut(`${rawPrefix}${tag}m-index/${result.runId}`, new Uint8Array(0));
      }),
    };
    log(`cloud: ${backend.id} save, ${inFlight} in flight`);
    const save = await compare({
      candidate: storeSave,
      baselines: [rawSave, rawSaveWithMarker],
      samples,
      opsPerSample,
      warmupOps,
    });
    comparisons.push({
      name: `${backend.id}-save-${inFlight}`,
      description: `${backend.title}: save, ${inFlight} in flight, vs ${backend.rawPutName}`,
      figures: save,
    });
    targets.push(ratioTarget(`${backend.title} save, ${inFlight} in flight, vs ${backend.rawPutName}`, save));

    // Gets: the same documents stored by the store and as raw objects.
    const writer = backend.open(`get-${tag}`, IO_OPTIONS);
    const ids: string[] = [];
    const count = quick ? 20 : STORED_FOR_GETS;
    for (let i = 0; i < count; i += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, count - i) }, async (_, k) => {
          const result = ValidationResult.fromDict(resultFor(pool, i + k, `g${tag}`).toDict());
          await writer.save(result);
          await backend.rawPut(`${rawPrefix}${tag}g/${result.runId}.json`, bytesOf(result));
          ids[i + k] = result.runId;
        }),
      );
    }
    await writer.close();
    const idAt = (i: number) => ids[(i * 7919) % ids.length] as string;
    let reader: CloudStore;
    const rawGet = (materialize: boolean): Subject => ({
      name: materialize
        ? `${backend.rawGetName} + ValidationResult.fromDict (information)`
        : backend.rawGetName,
      op: batched(inFlight, async (i) => {
        const bytes = await backend.rawGet(`${rawPrefix}${tag}g/${idAt(i)}.json`);
        const dict = JSON.parse(Buffer.from(bytes).toString("utf8"));
        return materialize ? ValidationResult.fromDict(dict) : dict;
      }),
    });
    log(`cloud: ${backend.id} get, ${inFlight} in flight`);
    const get = await compare({
      candidate: {
        name: `${backend.title} store.get`,
        setup: async () => {
          reader = backend.open(`get-${tag}`, IO_OPTIONS);
          await reader.initialize();
        },
        op: batched(inFlight, (i) => reader.get(idAt(i))),
        teardown: () => reader.close(),
      },
      baselines: [rawGet(false), rawGet(true)],
      samples,
      opsPerSample: quick ? 2 : inFlight === 1 ? 60 : 10,
      warmupOps: quick ? 1 : inFlight === 1 ? 10 : 2,
    });
    comparisons.push({
      name: `${backend.id}-get-${inFlight}`,
      description: `${backend.title}: get, ${inFlight} in flight, vs ${backend.rawGetName}`,
      figures: get,
    });
    targets.push(ratioTarget(`${backend.title} get, ${inFlight} in flight, vs ${backend.rawGetName}`, get));
  }
  return { comparisons, targets };
}

function ratioTarget(metric: string, figures: ComparisonFigures): TargetOutcome {
  return checkTarget(metric, figures.baselines[0]?.ratio.median ?? Number.NaN, ">=", 0.9, "×");
}

/** Query k: one asset, a 7-day window somewhere in the year, failures (every fourth: warnings), newest first. */
function queryFor(k: number, assets: readonly string[]): StoreQuery {
  const endMs = NOW.getTime() - ((k * 37) % (SPAN_DAYS - 7)) * DAY_MS;
  return {
    dataAsset: assets[k % assets.length] as string,
    startTime: new Date(endMs - 7 * DAY_MS),
    endTime: new Date(endMs),
    status: k % 4 === 3 ? "warning" : "failure",
    limit: 100,
    orderBy: "runTime",
    ascending: false,
  };
}

async function queryMeasurements(
  backend: CloudBackend,
  documents: number,
  queries: number,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const generator = new ResultGenerator({ seed: 2024, now: NOW, spanDays: SPAN_DAYS });
  const entries: IndexEntry[] = [];
  const loader = backend.open("query", { prettyPrint: false });
  const loadStart = performance.now();
  for (let done = 0; done < documents; done += 500) {
    const chunk = generator.take(Math.min(500, documents - done));
    for (const result of chunk) entries.push(validationResultAdapter.entryOf(result));
    for (const outcome of await loader.saveMany(chunk)) {
      if (!outcome.ok) throw outcome.error;
    }
    if ((done / 500) % 4 === 3) log(`cloud: ${backend.id} loaded ${done + chunk.length} / ${documents}`);
  }
  await loader.close();
  const loadSec = (performance.now() - loadStart) / 1000;
  const assets = generator.assetNames;
  const store = backend.open("query", { prettyPrint: false });
  await store.initialize();
  let matched = 0;
  // Correctness first: a fast wrong answer is worth nothing.
  for (let k = 0; k < queries; k++) {
    const query = queryFor(k, assets);
    const expected = applyQuery(entries, normalizeQuery(query)).entries.map((e) => e.id);
    const actual = await store.listIds(query);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(
        `cloud: ${backend.id} query ${k} returned ${actual.length} ids, expected ${expected.length}`,
      );
    }
    matched += actual.length;
  }
  const listLatencies = await sampleLatencies((k) => store.listIds(queryFor(k, assets)), queries, 5);
  const queryLatencies = await sampleLatencies((k) => store.query(queryFor(k, assets)), queries, 5);
  await store.close();
  const name = (what: string) => `${backend.title}: ${what}`;
  return [
    {
      name: name(`load ${documents} results (saveMany, chunks of 500, gzip)`),
      value: loadSec,
      unit: "s",
      note: `${(documents / loadSec).toFixed(0)} saves/s`,
    },
    {
      name: name("query (asset + 7-day range + status, limit 100, documents) p50"),
      value: percentile(queryLatencies, 50),
      unit: "ms",
      note: `${queries} queries checked against applyQuery, ${(matched / queries).toFixed(1)} results on average`,
    },
    { name: name("query (documents) p95"), value: percentile(queryLatencies, 95), unit: "ms" },
    {
      name: name("listIds (same queries, index only) p50"),
      value: percentile(listLatencies, 50),
      unit: "ms",
    },
    { name: name("listIds (index only) p95"), value: percentile(listLatencies, 95), unit: "ms" },
  ];
}

/**
 * A generated JSON document of about `bytes` bytes, 1 MiB per chunk (rows, then space padding, written into a
 * fresh Buffer so the generator itself leaves no large strings behind), hashed as it is produced.
 */
function generatedDocument(bytes: number) {
  const hash = createHash("sha256");
  const emit = (chunk: Buffer) => {
    hash.update(chunk);
    return chunk;
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield emit(Buffer.from('{"run_id":"stream-1","rows":['));
    for (let sent = 0, block = 0; sent < bytes; block++) {
      const rows: string[] = [];
      for (let i = 0; i < 4096; i++)
        rows.push(`{"row":${block * 4096 + i},"value":"v${(block * 31 + i) % 997}"}`);
      const chunk = Buffer.allocUnsafe(MIB).fill(0x20);
      chunk.write(`${block === 0 ? "" : ","}${rows.join(",")}`);
      sent += chunk.byteLength;
      yield emit(chunk);
    }
    yield emit(Buffer.from("]}"));
  }
  return { chunks: chunks(), digest: () => hash.digest("hex") };
}

/** Peak RSS over the RSS before `work` (after a collection), sampled every 10 ms, and the time taken. */
async function rssDuring<R>(work: () => Promise<R>): Promise<{ result: R; growthMiB: number; sec: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMiB: (peak - before) / MIB, sec: (performance.now() - t0) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

async function streamingMeasurements(
  backend: CloudBackend,
  bytes: number,
  settings: { label: string; options: Record<string, unknown> },
): Promise<{ measurements: Measurement[]; targets: TargetOutcome[] }> {
  const store = backend.open("stream", { useCompression: false, ...settings.options });
  const doc = generatedDocument(bytes);
  const entry = {
    id: "stream-1",
    dataAsset: "big.parquet",
    runTimeMs: NOW.getTime(),
    status: "success",
    tags: {},
  };
  const up = await rssDuring(() => store.saveStream(entry, doc.chunks));
  const down = await rssDuring(async () => {
    const hash = createHash("sha256");
    let read = 0;
    for await (const chunk of await store.openStream("stream-1")) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).byteLength;
    }
    return { digest: hash.digest("hex"), read };
  });
  if (down.result.digest !== doc.digest()) throw new Error("cloud: the streamed document read back differs");
  await store.delete("stream-1");
  await store.close();
  const gib = (bytes / 2 ** 30).toFixed(2);
  const rate = (sec: number) => `${(bytes / MIB / sec).toFixed(0)} MiB/s`;
  return {
    measurements: [
      {
        name: `${backend.title}: saveStream ${gib} GiB (${settings.label}), peak RSS growth`,
        value: up.growthMiB,
        unit: "MiB",
        note: `${up.sec.toFixed(1)} s, ${rate(up.sec)}`,
      },
      {
        name: `${backend.title}: openStream ${gib} GiB (${settings.label}; read and hashed), peak RSS growth`,
        value: down.growthMiB,
        unit: "MiB",
        note: `${down.sec.toFixed(1)} s, ${rate(down.sec)}; SHA-256 matches what was sent`,
      },
    ],
    targets: [
      checkTarget(
        `${backend.title}: streaming ${gib} GiB in (${settings.label}), RSS growth`,
        up.growthMiB,
        "<=",
        64,
        "MiB",
      ),
      checkTarget(
        `${backend.title}: streaming ${gib} GiB back (${settings.label}), RSS growth`,
        down.growthMiB,
        "<=",
        64,
        "MiB",
      ),
    ],
  };
}

export function cloudSuite(queryDocumentsOverride?: number): Suite {
  return {
    id: "cloud",
    title: "Cloud object stores (S3 on MinIO, GCS on fake-gcs-server, Azure Blob on Azurite)",
    async run({ samples, quick, log }) {
      const env = await servers();
      const documents = queryDocumentsOverride ?? (quick ? 500 : 10_000);
      const queries = quick ? 10 : 100;
      const streamBytes = quick ? 64 * MIB : 1024 * MIB;
      const pool = generateResults(POOL_SIZE, { seed: 11 });
      const comparisons: ComparisonRecord[] = [];
      const measurements: Measurement[] = [];
      const targets: TargetOutcome[] = [];
      for (const make of [s3Backend, gcsBackend, azureBackend]) {
        const backend = await make(env);
        try {
          const io = await ioComparisons(backend, pool, samples, quick, log);
          comparisons.push(...io.comparisons);
          targets.push(...io.targets);
          if (backend.id === "s3") {
            log(`cloud: streaming ${streamBytes / MIB} MiB into ${backend.title} and back`);
            for (const settings of STREAM_SETTINGS) {
              const streamed = await streamingMeasurements(backend, streamBytes, settings);
              measurements.push(...streamed.measurements);
              targets.push(...streamed.targets);
            }
          }
          log(`cloud: ${backend.id} query over ${documents} results`);
          measurements.push(...(await queryMeasurements(backend, documents, queries, log)));
        } finally {
          await backend.drop();
        }
      }
      const bytes = pool.reduce((sum, r) => sum + bytesOf(r).length, 0) / pool.length;
      return {
        setup: [
          "Servers from scripts/services/start.sh on 127.0.0.1 (MinIO, fake-gcs-server, Azurite), sharing the machine's cores with this process; a new bucket/container per run, removed afterwards.",
          `Save/get: ${POOL_SIZE} generated results (seed 11), ${(bytes / 1024).toFixed(1)} KiB of compact JSON on average, each save under a new id. Store options ${JSON.stringify(IO_OPTIONS)}, so the store and the raw SDK call (the first baseline) send the same bytes. "N in flight": each timed operation is N concurrent calls.`,
          "The store's save is more than the raw PUT by design: it checks for existing copies of the id (one HEAD per document format: .json, .json.gz, .json.trth, in parallel), writes the document with a precondition (If-None-Match / If-Match, or the generation precondition on GCS), then writes the index marker object that makes queries possible without reading documents. The second baseline (raw PUT + a marker PUT) is the floor of any store that keeps such an index.",
          "The store's get reads the document (on GCS: its metadata, then the bytes of exactly that generation, so etag and bytes agree), decodes it and checks the id; the first get baseline is the raw download + JSON.parse, the second adds ValidationResult.fromDict as the store does.",
          `Streaming: a ${(streamBytes / MIB).toFixed(0)} MiB generated JSON document through S3Store.saveStream (lib-storage multipart; with the defaults, 8 MiB parts and 4 in flight, and with uploadConcurrency 2; useCompression false) and read back with openStream and SHA-256; peak RSS sampled every 10 ms during each transfer minus RSS just before it (after a GC).`,
          `Query: ${documents} generated results (seed 2024) over ${SPAN_DAYS} days, 6 assets, saved with saveMany (gzip, the default); queries are asset + 7-day window + status, limit 100, newest first, each checked against the reference semantics (applyQuery) before timing.`,
        ],
        comparisons,
        measurements,
        targets,
      };
    },
  };
}
