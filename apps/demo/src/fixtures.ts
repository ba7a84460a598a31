export { type AssetProfile, type ColumnKind, type ColumnProfile, DEFAULT_ASSETS } from "./catalog.js";
export { generateResults, ResultGenerator, type ResultGeneratorOptions } from "./generate.js";
export { SeededRandom } from "./random.js";
export { buildSuite, type Severity, type ValidatorSpec } from "./suite.js";
