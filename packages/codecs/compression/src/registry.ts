import { StoreConfigurationError, UnsupportedOperationError } from "@truthound/store-core";
import type { CompressionProvider } from "./provider.js";

interface Registry {
  byName: Map<string, CompressionProvider>;
  byCode: Map<number, CompressionProvider>;
}

// Shared through globalThis so that native packages and duplicated copies of this package see one registry.
const KEY = Symbol.for("@truthound/codec-compression/compressor-registry");
const globalStore = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = globalStore[KEY] ?? { byName: new Map(), byCode: new Map() };
globalStore[KEY] = registry;

/** Installers of each algorithm, named in errors when an algorithm is asked for but not registered. */
const PACKAGE_OF: Readonly<Record<string, string>> = {
  zstd: "@truthound/codec-zstd",
  lz4: "@truthound/codec-lz4",
  snappy: "@truthound/codec-snappy",
};

/**
 * Makes an algorithm available to `getCompressor` and decodable from any frame in the process. Registering the
 * same name and code again replaces the provider; reusing a name or code for a different algorithm is a
 * CONFIGURATION error, since codes are written into stored data.
 */
export function registerCompressor(provider: CompressionProvider): void {
  const { name, code } = provider;
  if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new StoreConfigurationError(`registerCompressor: invalid algorithm name ${JSON.stringify(name)}`, {
      details: { field: "name" },
    });
  }
  if (!Number.isInteger(code) || code < 1 || code > 255) {
    throw new StoreConfigurationError(`registerCompressor: code of '${name}' must be an integer 1-255`, {
      details: { field: "code" },
    });
  }
  const sameName = registry.byName.get(name);
  const sameCode = registry.byCode.get(code);
  if ((sameName && sameName.code !== code) || (sameCode && sameCode.name !== name)) {
    throw new StoreConfigurationError(
      `registerCompressor: '${name}' (code ${code}) conflicts with registered '${(sameCode ?? sameName)?.name}' (code ${(sameCode ?? sameName)?.code})`,
      { details: { field: "code" } },
    );
  }
  registry.byName.set(name, provider);
  registry.byCode.set(code, provider);
}

export function isAlgorithmAvailable(algorithm: string): boolean {
  return registry.byName.has(algorithm);
}

/** Registered algorithm names, sorted. Native ones appear once their package has been imported. */
export function listAvailableAlgorithms(): string[] {
  return [...registry.byName.keys()].sort();
}

export function getProvider(algorithm: string): CompressionProvider {
  const provider = registry.byName.get(algorithm);
  if (provider) return provider;
  const install = PACKAGE_OF[algorithm];
  throw new UnsupportedOperationError(
    install
      ? `Compression algorithm '${algorithm}' is not available; install and import ${install}`
      : `Unknown compression algorithm '${algorithm}' (available: ${listAvailableAlgorithms().join(", ")})`,
    { details: { algorithm } },
  );
}

export function getProviderByCode(code: number): CompressionProvider {
  const provider = registry.byCode.get(code);
  if (provider) return provider;
  throw new UnsupportedOperationError(
    `Data was compressed with algorithm code ${code}, which is not registered; import the package providing it`,
    { details: { code } },
  );
}
