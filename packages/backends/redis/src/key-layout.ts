import { encodeIdSegment } from "@truthound/store-core";

/** Ids that encode to themselves (the usual `run_...` ids): skips the per-character encoder. */
const PLAIN_SEGMENT = /^[A-Za-z0-9\-~][A-Za-z0-9_.\-~]*$/;

/**
 * Key names of one namespace. Every key starts with `<keyPrefix>{<namespace>}:`: the braces are a Redis
 * Cluster hash tag, so all keys of a namespace share a slot and one Lua script may touch them all. The
 * scripts (src/lua) build the other key names themselves with the same encoding.
 */
export class KeyLayout {
  readonly base: string;

  constructor(keyPrefix: string, namespace: string) {
    this.base = `${keyPrefix}{${namespace}}:`;
  }

  document(id: string): string {
    return `${this.base}d:${PLAIN_SEGMENT.test(id) ? id : encodeIdSegment(id)}`;
  }

  /** SCAN patterns; the base holds no glob characters (keyPrefix and namespace are validated). */
  get documentPattern(): string {
    return `${this.base}d:*`;
  }

  get metaPattern(): string {
    return `${this.base}m:*`;
  }

  get indexPattern(): string {
    return `${this.base}i:*`;
  }

  get registries(): string[] {
    return [`${this.base}r:a`, `${this.base}r:s`];
  }

  /** Every key of the namespace, for dropping it. */
  get namespacePattern(): string {
    return `${this.base}*`;
  }
}
