import {
  type Clock,
  type Codec,
  type ItemAdapter,
  type OptionsSpec,
  StoreConfigurationError,
  type ValidationResult,
  validateNamespace,
  validateOptions,
} from "@truthound/store-core";

export type FileSystemLayout = "native" | "python";
export type FileSystemDurability = "fsync" | "none";

export interface FileSystemStoreOptions<T = ValidationResult> {
  /** Root directory. Default `.truthound/store`. */
  basePath?: string;
  /** Default "default". */
  namespace?: string;
  /** Default "validations". */
  prefix?: string;
  /** Extension of documents. Default ".json". */
  fileExtension?: string;
  /** Create missing directories at initialisation. Default true; when false a missing directory is an error. */
  createDirs?: boolean;
  /** Indent JSON by two spaces. Default true, as Truthound-py. */
  prettyPrint?: boolean;
  /** Store documents as plain gzip (`.json.gz`), readable by Truthound-py. Default false. */
  useCompression?: boolean;
  /** A codec chain (compression, encryption); documents get a self-describing header. Native layout only. */
  codecs?: readonly Codec[];
  /** "native" (default): scalable multi-process index. "python": Truthound-py's `_index.json` layout. */
  layout?: FileSystemLayout;
  /** "fsync" (default): a save is durable when it returns. "none": atomic but not durable across power loss. */
  durability?: FileSystemDurability;
  /** How long a write waits for another writer's lock before failing with TIMEOUT. Default 10000. */
  lockTimeoutMs?: number;
  adapter?: ItemAdapter<T>;
  clock?: Clock;
  operationTimeoutMs?: number;
}

export interface ResolvedOptions<T> {
  basePath: string;
  namespace: string;
  prefix: string;
  fileExtension: string;
  createDirs: boolean;
  prettyPrint: boolean;
  useCompression: boolean;
  codecs: readonly Codec[];
  layout: FileSystemLayout;
  durability: FileSystemDurability;
  lockTimeoutMs: number;
  adapter: ItemAdapter<T> | undefined;
  clock: Clock | undefined;
  operationTimeoutMs: number | undefined;
}

const nonEmpty = (value: unknown) => (value === "" ? "must not be empty" : undefined);

const SPEC: OptionsSpec<FileSystemStoreOptions<unknown>> = {
  basePath: {
    type: "string",
    check: (v) => nonEmpty(v) ?? (String(v).includes("\u0000") ? "contains NUL" : undefined),
  },
  namespace: { type: "string", check: (v) => void validateNamespace(v, "namespace") },
  prefix: { type: "string", check: (v) => void validateNamespace(v, "prefix") },
  fileExtension: {
    type: "string",
    check: (v) =>
      /^\.[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/.test(String(v)) &&
      !String(v).endsWith(".gz") &&
      !String(v).endsWith(".trth")
        ? undefined
        : 'must look like ".json": a dot, then up to 16 letters, digits, "." or "-" (not ending in .gz or .trth)',
  },
  createDirs: { type: "boolean" },
  prettyPrint: { type: "boolean" },
  useCompression: { type: "boolean" },
  codecs: {
    type: "array",
    check: (v) =>
      (v as unknown[]).every(
        (c) => typeof c === "object" && c !== null && typeof (c as Codec).encode === "function",
      )
        ? undefined
        : "must be an array of codecs",
  },
  layout: { type: "string", oneOf: ["native", "python"] },
  durability: { type: "string", oneOf: ["fsync", "none"] },
  lockTimeoutMs: { type: "number", integer: true, min: 0 },
  adapter: { type: "object" },
  clock: { type: "object" },
  operationTimeoutMs: { type: "number", min: 1 },
};

export function resolveOptions<T>(input: FileSystemStoreOptions<T> | undefined): ResolvedOptions<T> {
  const o = validateOptions("FileSystemStore", input, SPEC as OptionsSpec<FileSystemStoreOptions<T>>);
  const layout = o.layout ?? "native";
  const codecs = o.codecs ?? [];
  if (codecs.length > 0 && o.useCompression) {
    throw new StoreConfigurationError(
      "FileSystemStore: use either useCompression (plain gzip) or codecs (put a gzip codec in the chain), not both",
      { details: { field: "useCompression" } },
    );
  }
  if (codecs.length > 0 && layout === "python") {
    throw new StoreConfigurationError(
      "FileSystemStore: codecs are not readable by Truthound-py; the python layout supports useCompression only",
      { details: { field: "codecs" } },
    );
  }
  return {
    basePath: o.basePath ?? ".truthound/store",
    namespace: o.namespace ?? "default",
    prefix: o.prefix ?? "validations",
    fileExtension: o.fileExtension ?? ".json",
    createDirs: o.createDirs ?? true,
    prettyPrint: o.prettyPrint ?? true,
    useCompression: o.useCompression ?? false,
    codecs,
    layout,
    durability: o.durability ?? "fsync",
    lockTimeoutMs: o.lockTimeoutMs ?? 10_000,
    adapter: o.adapter,
    clock: o.clock,
    operationTimeoutMs: o.operationTimeoutMs,
  };
}
