import { UnsupportedOperationError } from "../errors.js";
import type { Codec, CodecFactory } from "./codec.js";

const KEY = Symbol.for("@truthound/store-core/codec-registry");
type Registry = Map<string, CodecFactory>;
const globalStore = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = globalStore[KEY] ?? new Map();
globalStore[KEY] = registry;

/** Makes a codec id decodable by every codec chain in the process (shared across copies of core). */
export function registerCodec(id: string, factory: CodecFactory): void {
  registry.set(id, factory);
}

export function isCodecRegistered(id: string): boolean {
  return registry.has(id);
}

export function listRegisteredCodecs(): string[] {
  return [...registry.keys()].sort();
}

export function resolveCodec(
  id: string,
  params: Readonly<Record<string, unknown>>,
  configured: readonly Codec[],
): Codec {
  const own = configured.find((codec) => codec.id === id);
  if (own) return own;
  const factory = registry.get(id);
  if (!factory) {
    throw new UnsupportedOperationError(
      `Data was written with codec '${id}', which is neither configured nor registered; install and import its package`,
      { details: { codec: id } },
    );
  }
  return factory(params);
}
