import type {
  Codec,
  IndexEntry,
  SaveOptions,
  SaveResult,
  Store,
  ValidationResult,
} from "@truthound/store-core";
import { gzipCodec, isStoreError } from "@truthound/store-core";
import { expectStoreError, makeResult } from "@truthound/store-testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bytesOf,
  bigEntryOf as entryOf,
  entryOfResult,
  generatedDocument,
  hashOf,
  MIB,
  peakRssGrowth,
} from "./streaming-documents.js";

const BIG_BYTES = 200 * MIB;
/** Generous: the point is that memory does not grow with the document (200 MiB), not a tight figure. */
const RSS_BOUND_BYTES = 128 * MIB;
// The 200 MiB transfers get a long timeout: on a loaded machine with a busy emulator they can take minutes.
const BIG_TRANSFER_TIMEOUT_MS = 600_000;

/** What the shared streaming tests need from an object-store backend (its ObjectStore surface). */
export interface StreamingStore extends Store<ValidationResult> {
  saveStream(entry: IndexEntry, body: AsyncIterable<Uint8Array>, options?: SaveOptions): Promise<SaveResult>;
  openStream(id: string): Promise<AsyncIterable<Uint8Array> & { toArray(): Promise<Uint8Array[]> }>;
  documentKey(id: string): string;
  readonly layout: { readonly root: string; readonly documentsPrefix: string };
}

/** Store options every streaming backend accepts and the shared tests vary. */
export interface StreamingStoreVariant {
  useCompression?: boolean;
  codecs?: Codec[];
  compatibility?: "python";
}

/** A backend's container (bucket) for one test file, with the admin operations the tests inspect it through. */
export interface StreamingServer<S extends StreamingStore> {
  open(namespace: string, variant?: StreamingStoreVariant): S;
  /** Every object key on the server under `prefix`. */
  keysUnder(prefix: string): Promise<string[]>;
  /** Replaces the object at `key` with its first half, behind the store's back. */
  truncateObject(key: string): Promise<void>;
  /** Releases the admin client and drops the container. */
  dispose(): Promise<void>;
}

export interface StreamingStoreTestOptions<S extends StreamingStore> {
  /** False skips the suite (no server configured and CI is not set). */
  available: boolean;
  /** Creates the container for this file (in beforeAll). */
  server: () => Promise<StreamingServer<S>>;
  /** A syntactically valid etag that no document has, for the ifMatch conflict test. */
  foreignEtag: string;
  /** Title of the mid-stream failure test (the backends name what an aborted upload may leave). */
  failedBodyTitle: string;
  /** How the backend uploads in pieces: "multipart", "resumable", "block". */
  uploadKind: string;
}

/** The streaming contract of an object-store backend, checked against its real server. */
export function describeStreamingStore<S extends StreamingStore>(
  name: string,
  options: StreamingStoreTestOptions<S>,
): void {
  describe.skipIf(!options.available)(name, () => {
    let server: StreamingServer<S> | undefined;
    const open = (namespace: string, variant?: StreamingStoreVariant) =>
      requireServer().open(namespace, variant);
    const keysUnder = (prefix: string) => requireServer().keysUnder(prefix);
    function requireServer(): StreamingServer<S> {
      if (server === undefined) throw new Error("the streaming test server was not set up");
      return server;
    }

    beforeAll(async () => {
      server = await options.server();
    });
    afterAll(async () => {
      await server?.dispose();
    });

    it("declares streaming", () => {
      expect(open("caps").capabilities.streaming).toBe(true);
    });

    for (const useCompression of [true, false]) {
      it(
        `streams a 200 MiB document in and out with bounded memory (useCompression ${useCompression})`,
        async () => {
          const store = open(`big-${useCompression}`, { useCompression });
          const doc = generatedDocument("big-1", BIG_BYTES);
          const saved = await peakRssGrowth(() => store.saveStream(entryOf("big-1"), doc.chunks));
          expect(saved.growth).toBeLessThan(RSS_BOUND_BYTES);
          expect(saved.result.id).toBe("big-1");
          const read = await peakRssGrowth(async () => hashOf(await store.openStream("big-1")));
          expect(read.growth).toBeLessThan(RSS_BOUND_BYTES);
          expect(read.result.bytes).toBeGreaterThan(BIG_BYTES);
          expect(read.result.digest).toBe(doc.digest());
          expect(await store.listIds({ dataAsset: "big.parquet", status: "success" })).toEqual(["big-1"]);
          expect(await store.count({ tags: { size: "large" } })).toBe(1);
          expect(await store.delete("big-1")).toBe(true);
          await store.close();
        },
        BIG_TRANSFER_TIMEOUT_MS,
      );
    }

    it(options.failedBodyTitle, async () => {
      const store = open("fail");
      const doc = generatedDocument("broken", 64 * MIB, { failAfter: 30 * MIB });
      const error = await expectStoreError(store.saveStream(entryOf("broken"), doc.chunks), "WRITE");
      expect((error as Error).message).toMatch(/source failed/);
      expect(await store.exists("broken")).toBe(false);
      expect(await store.listIds()).toEqual([]);
      expect(await keysUnder(store.layout.root)).toEqual([]);
      await store.close();
    });

    it("a failed stream replacing a document leaves the previous version readable and indexed", async () => {
      const store = open("replace-fail");
      const original = makeResult({ runId: "kept", dataAsset: "big.parquet" });
      await store.save(original);
      const doc = generatedDocument("kept", 40 * MIB, { failAfter: 20 * MIB });
      await expect(store.saveStream(entryOf("kept"), doc.chunks)).rejects.toSatisfy((e) =>
        isStoreError(e, "WRITE"),
      );
      expect((await store.get("kept")).toDict()).toEqual(original.toDict());
      expect(await store.listIds({ dataAsset: "big.parquet" })).toEqual(["kept"]);
      await store.close();
    });

    it("a streamed result reads back with get, and a saved one opens as a stream", async () => {
      const variants: StreamingStoreVariant[] = [{}, { useCompression: false }, { codecs: [gzipCodec()] }];
      for (const variant of variants) {
        const store = open(`get-${Object.keys(variant).join("") || "default"}`, variant);
        const result = makeResult({ runId: "r-1" });
        const json = JSON.stringify(result.toDict());
        await store.saveStream(entryOfResult(result), bytesOf(json));
        expect((await store.get("r-1")).toDict()).toEqual(result.toDict());
        const other = makeResult({ runId: "r-2" });
        await store.save(other);
        const text = Buffer.concat(await (await store.openStream("r-2")).toArray()).toString("utf8");
        expect(JSON.parse(text)).toEqual(other.toDict());
        expect(await store.listIds({ dataAsset: result.dataAsset })).toContain("r-1");
        await store.close();
      }
    });

    it("conditional stream saves: ifNoneMatch and ifMatch as for save", async () => {
      const store = open("conditions");
      const first = await store.saveStream(entryOf("c-1"), bytesOf('{"v":1}'), { ifNoneMatch: "*" });
      await expect(
        store.saveStream(entryOf("c-1"), bytesOf('{"v":2}'), { ifNoneMatch: "*" }),
      ).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
      await expect(
        store.saveStream(entryOf("c-1"), bytesOf('{"v":3}'), { ifMatch: options.foreignEtag }),
      ).rejects.toSatisfy((e) => isStoreError(e, "CONFLICT"));
      const second = await store.saveStream(entryOf("c-1"), bytesOf('{"v":4}'), { ifMatch: first.etag });
      expect(second.etag).not.toBe(first.etag);
      expect(Buffer.concat(await (await store.openStream("c-1")).toArray()).toString()).toBe('{"v":4}');
      expect(await store.count()).toBe(1);
      await store.close();
    });

    it(`ifNoneMatch is enforced by the server when another save lands during a ${options.uploadKind} upload`, async () => {
      const store = open("race");
      const doc = generatedDocument("raced", 24 * MIB, {
        pause: { after: 12 * MIB, run: () => store.save(makeResult({ runId: "raced" })) },
      });
      await expect(store.saveStream(entryOf("raced"), doc.chunks, { ifNoneMatch: "*" })).rejects.toSatisfy(
        (e) => isStoreError(e, "CONFLICT"),
      );
      expect((await store.get("raced")).runId).toBe("raced");
      expect(await store.listIds()).toEqual(["raced"]);
      await store.close();
    });

    it("a codec without streaming forms is refused with UNSUPPORTED before anything is written", async () => {
      const plain: Codec = {
        id: "identity-no-stream",
        version: 1,
        authenticated: false,
        headerParams: () => ({}),
        encode: async (data) => data,
        decode: async (data) => data,
      };
      const store = open("unsupported", { codecs: [plain] });
      const error = await expectStoreError(store.saveStream(entryOf("u-1"), bytesOf("{}")), "UNSUPPORTED");
      expect((error as Error).message).toMatch(/identity-no-stream/);
      await store.save(makeResult({ runId: "u-2" }));
      // The document's header names its codecs, so reading (not opening) is what fails.
      await expectStoreError(async () => hashOf(await store.openStream("u-2")), "UNSUPPORTED");
      expect(await keysUnder(`${store.layout.documentsPrefix}u-1`)).toEqual([]);
      await store.close();
    });

    it("bad input is refused before anything is written", async () => {
      const store = open("bad-input");
      await expect(store.saveStream({ ...entryOf("../x"), id: "../x" }, bytesOf("{}"))).rejects.toSatisfy(
        (e) => isStoreError(e, "INVALID_ARGUMENT"),
      );
      await expect(
        store.saveStream({ ...entryOf("b-1"), runTimeMs: Number.NaN }, bytesOf("{}")),
      ).rejects.toSatisfy((e) => isStoreError(e, "INVALID_ARGUMENT"));
      await expect(store.saveStream(entryOf("b-1"), "{}" as never)).rejects.toSatisfy((e) =>
        isStoreError(e, "INVALID_ARGUMENT"),
      );
      async function* strings() {
        yield "{}";
      }
      await expect(store.saveStream(entryOf("b-1"), strings() as never)).rejects.toSatisfy((e) =>
        isStoreError(e, "INVALID_ARGUMENT"),
      );
      await expect(store.openStream("missing")).rejects.toSatisfy((e) => isStoreError(e, "NOT_FOUND"));
      expect(await keysUnder(store.layout.root)).toEqual([]);
      await store.close();
    });

    it("a truncated gzip document fails the stream with INTEGRITY", async () => {
      const store = open("truncated");
      await store.saveStream(entryOf("t-1"), generatedDocument("t-1", 4 * MIB).chunks);
      await requireServer().truncateObject(store.documentKey("t-1"));
      await expectStoreError(hashOf(await store.openStream("t-1")), "INTEGRITY");
      await store.close();
    });

    it("python compatibility: a streamed document is recorded in _index.json", async () => {
      const store = open("python", { compatibility: "python" });
      const result = makeResult({ runId: "py-1" });
      await store.saveStream(entryOfResult(result), bytesOf(JSON.stringify(result.toDict(), null, 2)));
      const reopened = open("python", { compatibility: "python" });
      expect(await reopened.listIds()).toEqual(["py-1"]);
      expect((await reopened.get("py-1")).toDict()).toEqual(result.toDict());
      await store.close();
      await reopened.close();
    });
  });
}
