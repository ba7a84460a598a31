import type { Suite } from "../suite.js";
import { aeadSuite } from "./aead.js";
import { cachingSuite } from "./caching.js";
import { cloudSuite } from "./cloud.js";
import { compressionSuite } from "./compression.js";
import { filesystemIoSuite } from "./filesystem-io.js";
import { filesystemQuerySuite } from "./filesystem-query.js";
import { kdfSuite } from "./kdf.js";
import { memorySuite } from "./memory.js";
import { redisSuite } from "./redis.js";
import { sqlSuite } from "./sql.js";
import { versioningSuite } from "./versioning.js";

export interface SuiteSettings {
  /** --query-documents: how many documents query suites store (each suite has its own default). */
  queryDocuments: number | undefined;
}

/** Every suite, in the order a full run takes them. A new suite adds one line here. */
export function allSuites(settings: SuiteSettings): Suite[] {
  return [
    memorySuite,
    filesystemIoSuite,
    filesystemQuerySuite(settings.queryDocuments),
    cloudSuite(settings.queryDocuments),
    kdfSuite,
    aeadSuite,
    compressionSuite,
    sqlSuite(settings.queryDocuments),
    redisSuite,
    versioningSuite,
    cachingSuite,
  ];
}
