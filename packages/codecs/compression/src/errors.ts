import { StoreIntegrityError } from "@truthound/store-core";

/** Default cap on what one decompression may produce (a decompression-bomb guard). */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Decompressing would produce more than the configured `maxOutputBytes`. Code `INTEGRITY` (the data is
 * hostile or not what this reader was configured for); `details.limit` names the cap.
 */
export class DecompressionLimitError extends StoreIntegrityError {
  constructor(algorithm: string, limit: number, declared?: number) {
    super(
      declared === undefined
        ? `${algorithm}: decompressed output exceeds maxOutputBytes (${limit})`
        : `${algorithm}: data declares ${declared} decompressed bytes, above maxOutputBytes (${limit})`,
      {
        details: {
          algorithm,
          limit,
          ...(declared === undefined ? {} : { declared }),
          reason: "OUTPUT_LIMIT",
        },
      },
    );
    this.name = "DecompressionLimitError";
  }
}

export function corrupt(algorithm: string, why: string, cause?: unknown): StoreIntegrityError {
  return new StoreIntegrityError(`${algorithm}: ${why}`, {
    details: { algorithm },
    ...(cause === undefined ? {} : { cause }),
  });
}
