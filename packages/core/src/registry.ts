import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BackendNotInstalledError,
  InvalidArgumentError,
  isStoreError,
  StoreConfigurationError,
} from "./errors.js";
import type { Store } from "./store.js";

// biome-ignore lint/suspicious/noExplicitAny: a factory may build a store of any item type.
export type StoreFactory = (options: Record<string, unknown>) => Store<any>;

export interface BackendMeta {
  /** npm package that provides the backend. */
  packageName: string;
  description?: string;
  aliases?: readonly string[];
}

interface Registration {
  name: string;
  factory: StoreFactory;
  meta: BackendMeta;
}

interface RegistryState {
  backends: Map<string, Registration>;
  aliases: Map<string, string>;
}

/** Built-in names and aliases, so `getStore` knows which package to import before it is loaded. */
const KNOWN_BACKENDS: Record<string, { packageName: string; aliases: string[] }> = {
  memory: { packageName: "@truthound/store-memory", aliases: ["mem"] },
  filesystem: { packageName: "@truthound/store-filesystem", aliases: ["fs", "file"] },
  s3: { packageName: "@truthound/store-s3", aliases: [] },
  gcs: { packageName: "@truthound/store-gcs", aliases: [] },
  azure: { packageName: "@truthound/store-azure", aliases: ["azure_blob", "azureblob"] },
  database: { packageName: "@truthound/store-sql", aliases: ["db", "sql"] },
  redis: { packageName: "@truthound/store-redis", aliases: [] },
};

const KEY = Symbol.for("@truthound/store-core/registry");
const globalStore = globalThis as unknown as Record<symbol, RegistryState | undefined>;
const state: RegistryState = globalStore[KEY] ?? { backends: new Map(), aliases: new Map() };
globalStore[KEY] = state;

function normalizeName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "")
    throw new InvalidArgumentError("Backend name must be a non-empty string");
  return name.trim().toLowerCase();
}

function canonicalName(name: string): string {
  const n = normalizeName(name);
  const registeredAlias = state.aliases.get(n);
  if (registeredAlias) return registeredAlias;
  for (const [canonical, known] of Object.entries(KNOWN_BACKENDS)) {
    if (canonical === n || known.aliases.includes(n)) return canonical;
  }
  return n;
}

/** Registers a backend under `name` (and its aliases). Backend packages call this when imported. */
export function registerStore(name: string, factory: StoreFactory, meta?: Partial<BackendMeta>): void {
  if (typeof factory !== "function")
    throw new InvalidArgumentError("registerStore: factory must be a function");
  const canonical = canonicalName(name);
  const packageName =
    meta?.packageName ?? KNOWN_BACKENDS[canonical]?.packageName ?? `@truthound/store-${canonical}`;
  const aliases = [...(KNOWN_BACKENDS[canonical]?.aliases ?? []), ...(meta?.aliases ?? [])].map(
    normalizeName,
  );
  state.backends.set(canonical, { name: canonical, factory, meta: { ...meta, packageName, aliases } });
  for (const alias of aliases) state.aliases.set(alias, canonical);
}

export function unregisterStore(name: string): boolean {
  return state.backends.delete(canonicalName(name));
}

/** The package `getStore(name)` imports for a backend name. */
export function packageForBackend(name: string): string {
  const canonical = canonicalName(name);
  return (
    state.backends.get(canonical)?.meta.packageName ??
    KNOWN_BACKENDS[canonical]?.packageName ??
    `@truthound/store-${canonical}`
  );
}

function isMissingModule(error: unknown, packageName: string): boolean {
  const code = (error as { code?: string })?.code;
  const message = String((error as { message?: string })?.message ?? "");
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(packageName);
}

async function importBackend(packageName: string): Promise<void> {
  try {
    await import(packageName);
    return;
  } catch (error) {
    if (!isMissingModule(error, packageName)) throw error;
  }
  // Not resolvable from core's own location (strict layouts): try the application's.
  let resolved: string;
  try {
    resolved = createRequire(join(process.cwd(), "noop.js")).resolve(packageName);
  } catch {
    throw new BackendNotInstalledError(
      `Backend package ${packageName} is not installed. Install it with: pnpm add ${packageName}`,
      {
        details: { packageName },
      },
    );
  }
  await import(pathToFileURL(resolved).href);
}

/**
 * Creates a store by backend name. If the backend is not registered yet, imports `@truthound/store-<name>`
 * (which registers itself); if that package is not installed, throws `BACKEND_NOT_INSTALLED` naming it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the item type depends on the backend and its options.
export async function getStore<S extends Store<any> = Store<any>>(
  name: string,
  options: Record<string, unknown> = {},
): Promise<S> {
  const canonical = canonicalName(name);
  if (!state.backends.has(canonical)) {
    const packageName = packageForBackend(canonical);
    try {
      await importBackend(packageName);
    } catch (error) {
      if (isStoreError(error)) throw error;
      throw new StoreConfigurationError(`Backend package ${packageName} failed to load`, { cause: error });
    }
    if (!state.backends.has(canonical)) {
      throw new BackendNotInstalledError(
        `Package ${packageName} loaded but did not register a backend named '${canonical}'`,
        { details: { packageName } },
      );
    }
  }
  return (state.backends.get(canonical) as Registration).factory(options) as S;
}

/** Names of the backends registered in this process (canonical names, sorted). */
export function listAvailableBackends(): string[] {
  return [...state.backends.keys()].sort();
}

/** True if `name` (or an alias) is registered, or its package can be resolved from here or the working directory. */
export function isBackendAvailable(name: string): boolean {
  const canonical = canonicalName(name);
  if (state.backends.has(canonical)) return true;
  const packageName = packageForBackend(canonical);
  for (const base of [import.meta.url, pathToFileURL(join(process.cwd(), "noop.js")).href]) {
    try {
      createRequire(base).resolve(packageName);
      return true;
    } catch {
      // not resolvable from this base
    }
  }
  return false;
}

export function getBackendMeta(name: string): BackendMeta | undefined {
  return state.backends.get(canonicalName(name))?.meta;
}
