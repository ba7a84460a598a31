import { StoreConfigurationError } from "@truthound/store-core";

/** Portable level presets; each algorithm maps them to its own scale (see `CompressionLevelRange.presets`). */
export const CompressionLevel = {
  FASTEST: "fastest",
  FAST: "fast",
  BALANCED: "balanced",
  HIGH: "high",
  MAXIMUM: "maximum",
} as const;

export type CompressionLevel = (typeof CompressionLevel)[keyof typeof CompressionLevel];

export const COMPRESSION_LEVELS: readonly CompressionLevel[] = Object.values(CompressionLevel);

export interface CompressionLevelRange {
  /** Lowest native level the library accepts. */
  min: number;
  /** Highest native level the library accepts. */
  max: number;
  presets: Readonly<Record<CompressionLevel, number>>;
}

export function isCompressionLevel(value: unknown): value is CompressionLevel {
  return typeof value === "string" && (COMPRESSION_LEVELS as readonly string[]).includes(value);
}

/** A preset name or a native integer level -> the native level, or CONFIGURATION naming `level`. */
export function resolveLevel(
  algorithm: string,
  range: CompressionLevelRange,
  level: CompressionLevel | number | undefined,
): number {
  if (level === undefined) return range.presets.balanced;
  if (isCompressionLevel(level)) return range.presets[level];
  if (typeof level === "number" && Number.isInteger(level) && level >= range.min && level <= range.max) {
    return level;
  }
  throw new StoreConfigurationError(
    `${algorithm}: level must be one of ${COMPRESSION_LEVELS.join(", ")} or an integer from ${range.min} to ${range.max}, got ${JSON.stringify(level)}`,
    { details: { field: "level" } },
  );
}
