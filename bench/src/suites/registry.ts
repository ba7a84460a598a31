import type { Suite } from "../suite.js";
import { filesystemIoSuite } from "./filesystem-io.js";
import { filesystemQuerySuite } from "./filesystem-query.js";
import { memorySuite } from "./memory.js";

export interface SuiteSettings {
  /** --query-documents: how many documents query suites store (each suite has its own default). */
  queryDocuments: number | undefined;
}

/** Every suite, in the order a full run takes them. A new suite adds one line here. */
export function allSuites(settings: SuiteSettings): Suite[] {
  return [memorySuite, filesystemIoSuite, filesystemQuerySuite(settings.queryDocuments)];
}
