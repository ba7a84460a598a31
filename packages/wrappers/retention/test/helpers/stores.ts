import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ValidationResult } from "@truthound/store-core";
import { FileSystemStore } from "@truthound/store-filesystem";
import { S3Store } from "@truthound/store-s3";
import {
  type LedgerRecord,
  ledgerRecordAdapter,
  RetentionStore,
  type RetentionStoreOptions,
  TimeBasedPolicy,
} from "../../src/index.js";

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `tt-retention-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

type Extra = Omit<RetentionStoreOptions<ValidationResult>, "ledgerStore">;
const defaults = (): Extra => ({ policies: [new TimeBasedPolicy({ maxAgeDays: 3650 })] });

export function filesystemRetention(
  basePath: string,
  namespace: string,
  extra: Extra = defaults(),
): RetentionStore<ValidationResult> {
  const base = new FileSystemStore({ basePath, namespace, durability: "none" });
  const ledgerStore = new FileSystemStore<LedgerRecord>({
    basePath,
    namespace,
    prefix: "retention-ledger",
    durability: "none",
    prettyPrint: false,
    adapter: ledgerRecordAdapter,
  });
  return new RetentionStore(base, { ...extra, ledgerStore });
}

export function s3Retention(
  s3: Record<string, unknown>,
  bucket: string,
  namespace: string,
  extra: Extra = defaults(),
): RetentionStore<ValidationResult> {
  const base = new S3Store({ ...s3, bucket, namespace, prefix: "results/" });
  const ledgerStore = new S3Store<LedgerRecord>({
    ...s3,
    bucket,
    namespace,
    prefix: "ledger/",
    useCompression: false,
    adapter: ledgerRecordAdapter,
  });
  return new RetentionStore(base, { ...extra, ledgerStore });
}
