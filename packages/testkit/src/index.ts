export { expectSameResult, expectSameResults, expectStoreError } from "./assertions.js";
export type { CodecFactory } from "./codec/codec-checks.js";
export {
  type CodecConformanceOptions,
  describeCodecConformance,
} from "./codec/describe-codec-conformance.js";
export {
  DEFAULT_ASSETS,
  DEFAULT_TAGS,
  type MakeResultOptions,
  type MakeResultsOptions,
  makeResult,
  makeResults,
} from "./fixtures.js";
export type { CaseContext, ConformanceCase } from "./store/case.js";
export { MALFORMED_IDS, SPECIAL_IDS, TRAVERSAL_IDS } from "./store/cases/ids.js";
export { STORE_CONFORMANCE_CASES } from "./store/cases/index.js";
export { INVALID_QUERIES } from "./store/cases/invalid-queries.js";
export { makeFullResult } from "./store/cases/round-trip.js";
export { describeStoreConformance, runConformanceCase } from "./store/describe-store-conformance.js";
export {
  CONFORMANCE_GROUPS,
  type ConformanceGroup,
  type ConformanceStoreFactory,
  type StoreConformanceOptions,
  type StoreFactoryContext,
} from "./store/options.js";
