import { S3Store } from "@truthound/store-s3";
import { describeStoreConformance } from "@truthound/store-testkit";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe } from "vitest";
import { AuditLogLevel, ObservabilityConfig, ObservableStore } from "../src/index.js";
import { otelHarness } from "./helpers/otel.js";
import { createBucket, s3Endpoint, s3Options } from "./helpers/services.js";

describe.skipIf(s3Endpoint === undefined)("ObservableStore over S3Store on MinIO", () => {
  const otel = otelHarness();
  const registry = new Registry();
  let bucket = "";
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createBucket("observability");
    bucket = created.name;
    drop = created.drop;
  });
  afterAll(async () => {
    await drop?.();
    await otel.shutdown();
  });

  describeStoreConformance(
    "ObservableStore (everything on) over S3Store",
    ({ namespace }) =>
      new ObservableStore(
        new S3Store({ ...s3Options(), bucket, namespace }),
        new ObservabilityConfig({
          audit: { level: AuditLogLevel.VERBOSE, maxEvents: 100 },
          metrics: { meterProvider: otel.meterProvider, registry },
          tracing: { tracerProvider: otel.tracerProvider },
        }),
      ),
    {
      capabilities: { conditionalWrites: true, serverSideQuery: true, persistent: true, multiProcess: true },
      largeDocumentBytes: 8 * 1024 * 1024,
    },
  );
});
