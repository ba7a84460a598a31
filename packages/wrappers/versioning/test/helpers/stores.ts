import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock, ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { MemoryStore } from "@truthound/store-memory";
import { S3Store } from "@truthound/store-s3";
import {
  type HistoryRecord,
  historyRecordAdapter,
  VersionedStore,
  type VersioningConfig,
} from "../../src/index.js";

export function memoryVersioned(
  config: VersioningConfig & { clock?: Clock } = {},
  history = new MemoryStore<HistoryRecord>({ adapter: historyRecordAdapter }),
  base = new MemoryStore(),
): VersionedStore<ValidationResult> {
  return new VersionedStore(base, { ...config, historyStore: history });
}

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tt-versioning-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Wrapped and history stores side by side in one directory, fsync off (tests are about logic, not durability). */
export function filesystemVersioned(
  basePath: string,
  namespace: string,
  config: VersioningConfig & { clock?: Clock } = {},
): VersionedStore<ValidationResult> {
  const base = new FileSystemStore({ basePath, namespace, durability: "none" });
  const history = new FileSystemStore<HistoryRecord>({
    basePath,
    namespace,
    prefix: "history",
    durability: "none",
    prettyPrint: false,
    adapter: historyRecordAdapter,
  });
  return new VersionedStore(base, { ...config, historyStore: history });
}

/** Wrapped and history stores in one bucket, under different prefixes. */
export function s3Versioned(
  s3: Record<string, unknown>,
  bucket: string,
  namespace: string,
  config: VersioningConfig = {},
): VersionedStore<ValidationResult> {
  const base = new S3Store({ ...s3, bucket, namespace, prefix: "results/" });
  const history = new S3Store<HistoryRecord>({
    ...s3,
    bucket,
    namespace,
    prefix: "history/",
    useCompression: false,
    adapter: historyRecordAdapter,
  });
  return new VersionedStore(base, { ...config, historyStore: history });
}
