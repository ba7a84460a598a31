import type { ContainerClient } from "@azure/storage-blob";
import { isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { AzureBlobStorage } from "../src/azure-blob-storage.js";
import { defaultCredentialContainerClient } from "../src/connection.js";

const settings = {
  container: "results",
  contentType: undefined,
  accessTier: undefined,
  metadata: undefined,
  blockUploadThresholdBytes: 1024,
  blockSizeBytes: 512,
  uploadConcurrency: 2,
  pythonIndexKey: "truthound/default/_index.json",
};

/** A container listing in pages of `pageSize`, whose continuation is opaque (as on Azure). */
function listingClient(names: string[], pageSize: number) {
  const requests: Array<string | undefined> = [];
  const sorted = [...names].sort();
  const page = (prefix: string, delimiter: string | undefined, token: string | undefined) => {
    requests.push(token);
    const start = token === undefined ? 0 : Number(Buffer.from(token, "base64").toString());
    const matching = sorted.filter((n) => n.startsWith(prefix));
    const slice = matching.slice(start, start + pageSize);
    const next =
      start + pageSize < matching.length ? Buffer.from(String(start + pageSize)).toString("base64") : "";
    const items =
      delimiter === undefined ? slice : slice.filter((n) => !n.slice(prefix.length).includes(delimiter));
    const prefixes =
      delimiter === undefined
        ? []
        : [
            ...new Set(
              slice
                .filter((n) => n.slice(prefix.length).includes(delimiter))
                .map((n) => n.slice(0, n.indexOf(delimiter, prefix.length) + 1)),
            ),
          ];
    return {
      segment: {
        blobItems: items.map((name) => ({ name, properties: { etag: `"${name}"` } })),
        blobPrefixes: prefixes.map((name) => ({ name })),
      },
      continuationToken: next,
    };
  };
  const pager = (prefix: string, delimiter?: string) => ({
    byPage: ({ continuationToken }: { continuationToken?: string }) => ({
      next: async () => ({ done: false, value: page(prefix, delimiter, continuationToken) }),
    }),
  });
  const client = {
    listBlobsFlat: ({ prefix }: { prefix: string }) => pager(prefix),
    listBlobsByHierarchy: (delimiter: string, { prefix }: { prefix: string }) => pager(prefix, delimiter),
  };
  return { client: client as unknown as ContainerClient, requests };
}

async function listAllKeys(storage: AzureBlobStorage, request: { prefix: string; startAfter?: string }) {
  const keys: string[] = [];
  let continuation: string | undefined;
  do {
    const page = await storage.list({ ...request, continuation, signal: undefined });
    keys.push(...page.items.map((i) => i.key));
    continuation = page.next;
  } while (continuation !== undefined);
  return keys;
}

describe("AzureBlobStorage.list", () => {
  const names = Array.from({ length: 23 }, (_, i) => `p/k${String(i).padStart(2, "0")}`);

  it("pages through every key in order with the service's continuation", async () => {
    const { client } = listingClient([...names, "q/other"], 5);
    const storage = new AzureBlobStorage(async () => client, settings);
    expect(await listAllKeys(storage, { prefix: "p/" })).toEqual(names);
  });

  it("emulates startAfter: only later keys, skipping pages that hold none, never an empty page with a next", async () => {
    const { client, requests } = listingClient(names, 5);
    const storage = new AzureBlobStorage(async () => client, settings);
    const first = await storage.list({ prefix: "p/", startAfter: "p/k12", signal: undefined });
    // Pages [0-4], [5-9] hold nothing after k12 and are passed over within the same call.
    expect(first.items.map((i) => i.key)).toEqual(["p/k13", "p/k14"]);
    expect(requests).toHaveLength(3);
    expect(await listAllKeys(storage, { prefix: "p/", startAfter: "p/k12" })).toEqual(names.slice(13));
    expect(await listAllKeys(storage, { prefix: "p/", startAfter: "p/k99" })).toEqual([]);
    expect(await listAllKeys(storage, { prefix: "p/", startAfter: "p/" })).toEqual(names);
  });

  it("compares keys as UTF-8 bytes, as the kit expects", async () => {
    // U+FFFD sorts before U+1F600 in UTF-8 but after its UTF-16 surrogates.
    const { client } = listingClient(["p/\u{fffd}", "p/\u{1f600}"], 5);
    const storage = new AzureBlobStorage(async () => client, settings);
    expect(await listAllKeys(storage, { prefix: "p/", startAfter: "p/\u{fffd}" })).toEqual(["p/\u{1f600}"]);
  });

  it("returns common prefixes with a delimiter", async () => {
    const { client } = listingClient(["p/a/1", "p/a/2", "p/b/1", "p/c"], 10);
    const storage = new AzureBlobStorage(async () => client, settings);
    const page = await storage.list({ prefix: "p/", delimiter: "/", signal: undefined });
    expect(page.prefixes).toEqual(["p/a/", "p/b/"]);
    expect(page.items.map((i) => i.key)).toEqual(["p/c"]);
    expect(page.next).toBeUndefined();
  });
});

describe("DefaultAzureCredential", () => {
  it("authenticates with the credential @azure/identity provides", async () => {
    class FakeCredential {
      async getToken() {
        return { token: "t", expiresOnTimestamp: Date.now() + 60_000 };
      }
    }
    const client = await defaultCredentialContainerClient(
      "https://acct.blob.core.windows.net/",
      "results",
      {},
      async () => ({ DefaultAzureCredential: FakeCredential }),
    );
    expect(client.url).toBe("https://acct.blob.core.windows.net/results");
    expect(client.credential).toBeInstanceOf(FakeCredential);
  });

  it("constructs the real DefaultAzureCredential when @azure/identity is installed", async () => {
    const client = await defaultCredentialContainerClient(
      "https://acct.blob.core.windows.net",
      "results",
      {},
    );
    expect(client.credential.constructor.name).toBe("DefaultAzureCredential");
  });

  it("a missing @azure/identity is a CONFIGURATION error naming the package", async () => {
    const missing = Object.assign(new Error("Cannot find package '@azure/identity'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const error = await defaultCredentialContainerClient(
      "https://acct.blob.core.windows.net",
      "results",
      {},
      () => Promise.reject(missing),
    ).catch((e: unknown) => e);
    expect(isStoreError(error, "CONFIGURATION")).toBe(true);
    expect((error as Error).message).toContain("@azure/identity");
    expect((error as Error).cause).toBe(missing);
  });

  it("a failed import is retried on the next use instead of being cached", async () => {
    let calls = 0;
    const storage = new AzureBlobStorage(async () => {
      calls++;
      if (calls === 1) throw new Error("first attempt fails");
      return listingClient([], 5).client;
    }, settings);
    await expect(storage.containerClient()).rejects.toThrow("first attempt fails");
    await expect(storage.containerClient()).resolves.toBeDefined();
    expect(calls).toBe(2);
  });
});
