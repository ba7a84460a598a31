import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemStore } from "@truthound/store-filesystem";
import { describeStoreConformance } from "@truthound/store-testkit";
import { afterAll } from "vitest";
import { CachedStore, CacheMode } from "../src/index.js";

const basePath = mkdtempSync(join(tmpdir(), "truthound-caching-"));
afterAll(() => rmSync(basePath, { recursive: true, force: true }));

const capabilities = {
  conditionalWrites: true,
  serverSideQuery: true,
  persistent: true,
  multiProcess: true,
  nativeTtl: false,
  nativeVersions: false,
  streaming: false,
};

for (const mode of [CacheMode.WRITE_THROUGH, CacheMode.WRITE_BEHIND] as const) {
  describeStoreConformance(
    `CachedStore (${mode}) over FileSystemStore`,
    ({ namespace }) => new CachedStore(new FileSystemStore({ basePath, namespace }), { mode }),
    {
      capabilities,
      // A WRITE_BEHIND save reaches the store (and so other instances) only when its queue is flushed; the
      // flush-on-close test in write-behind.test.ts covers what the shared-namespace cases would.
      sharedNamespaces: mode !== CacheMode.WRITE_BEHIND,
    },
  );
}
