import type { Transform } from "node:stream";

export interface NodeBridge {
  /** Resolves once the transform has taken the chunk; rejects with the first failure. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the input and resolves when all output has been delivered. */
  end(): Promise<void>;
  destroy(): void;
}

/** Drives a node:stream Transform (zlib, zstd) from WHATWG stream callbacks; `onData` may throw to abort. */
export function bridgeTransform(stream: Transform, onData: (chunk: Uint8Array) => void): NodeBridge {
  let failure: unknown;
  let rejectFailed: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {});
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = error;
    rejectFailed(error);
    stream.destroy();
  };
  const ended = new Promise<void>((resolve) => stream.once("end", resolve));
  stream.on("data", (chunk: Uint8Array) => {
    if (failure !== undefined) return;
    try {
      onData(chunk);
    } catch (error) {
      fail(error);
    }
  });
  stream.on("error", fail);
  return {
    write: async (chunk) => {
      if (failure !== undefined) throw failure;
      const written = new Promise<void>((resolve, reject) =>
        stream.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
      written.catch(() => {});
      await Promise.race([written, failed]);
    },
    end: async () => {
      if (failure !== undefined) throw failure;
      stream.end();
      await Promise.race([ended, failed]);
    },
    destroy: () => stream.destroy(),
  };
}
