import {
  type Clock,
  type Codec,
  type ItemAdapter,
  type OptionsSpec,
  type ValidationResult,
  validateNamespace,
} from "@truthound/store-core";
import { checkPrefix } from "./key-layout.js";

export type Compatibility = "native" | "python";

/** Options every object-store backend accepts, in the seeds' names. */
export interface ObjectStoreCommonOptions<T = ValidationResult> {
  /** Key prefix; default `truthound/`. */
  prefix?: string;
  /** Default `default`. */
  namespace?: string;
  /** Store documents as plain gzip (`.json.gz`), as Truthound-py; default true. */
  useCompression?: boolean;
  /**
   * `native` (default): the per-document index markers. `python`: Truthound-py's `_index.json`, kept correct
   * with conditional writes, so Truthound-py sees our writes and we see its writes.
   */
  compatibility?: Compatibility;
  /** Codec chain (compression, encryption); documents get a self-describing header. Native only. */
  codecs?: readonly Codec[];
  /** Indent JSON documents by 2 spaces; default true in python compatibility, false otherwise. */
  prettyPrint?: boolean;
  /** Item type; default validation results. */
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  /** Default deadline of every operation, in ms. */
  operationTimeoutMs?: number;
}

function checkNamespace(value: unknown): string | undefined {
  validateNamespace(value);
  return undefined;
}

export const objectStoreCommonSpec: OptionsSpec<ObjectStoreCommonOptions> = {
  prefix: { type: "string", check: checkPrefix },
  namespace: { type: "string", check: checkNamespace },
  useCompression: { type: "boolean" },
  compatibility: { type: "string", oneOf: ["native", "python"] },
  codecs: { type: "array" },
  prettyPrint: { type: "boolean" },
  adapter: { type: "object" },
  clock: { type: "object" },
  operationTimeoutMs: { type: "number", min: 1 },
};
