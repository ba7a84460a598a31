import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export type ScriptArg = string | Buffer | number;

/** One Lua script: EVALSHA, falling back to EVAL (which also caches it) when the server does not know it. */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(client: Redis, args: readonly ScriptArg[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, 0, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.source, 0, ...args);
    }
  }
}
