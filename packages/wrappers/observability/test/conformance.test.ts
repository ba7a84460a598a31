import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemStore } from "@truthound/store-filesystem";
import { MemoryStore } from "@truthound/store-memory";
import { describeStoreConformance } from "@truthound/store-testkit";
import { Registry } from "prom-client";
import { afterAll } from "vitest";
import { AuditLogLevel, ObservabilityConfig, ObservableStore } from "../src/index.js";
import { otelHarness } from "./helpers/otel.js";

const otel = otelHarness();
afterAll(() => otel.shutdown());
const registry = new Registry();

function fullConfig(): ObservabilityConfig {
  return new ObservabilityConfig({
    audit: { level: AuditLogLevel.DEBUG, maxEvents: 100 },
    metrics: { meterProvider: otel.meterProvider, registry },
    tracing: { tracerProvider: otel.tracerProvider },
  });
}

describeStoreConformance(
  "ObservableStore (everything on) over MemoryStore",
  () => new ObservableStore(new MemoryStore(), fullConfig()),
  {
    capabilities: {
      conditionalWrites: true,
      serverSideQuery: true,
      nativeTtl: false,
      nativeVersions: false,
      streaming: false,
      persistent: false,
      multiProcess: false,
    },
    sharedNamespaces: false,
  },
);

describeStoreConformance(
  "ObservableStore (disabled) over MemoryStore",
  () => new ObservableStore(new MemoryStore(), ObservabilityConfig.disabled()),
  { sharedNamespaces: false, skip: ["listing", "largeDocuments"] },
);

const basePath = mkdtempSync(join(tmpdir(), "truthound-observability-"));
afterAll(() => rmSync(basePath, { recursive: true, force: true }));

describeStoreConformance(
  "ObservableStore (everything on) over FileSystemStore",
  ({ namespace }) => new ObservableStore(new FileSystemStore({ basePath, namespace }), fullConfig()),
  {
    capabilities: {
      conditionalWrites: true,
      serverSideQuery: true,
      persistent: true,
      multiProcess: true,
      nativeTtl: false,
      nativeVersions: false,
    },
  },
);
