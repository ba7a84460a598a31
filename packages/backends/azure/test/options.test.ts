import { BlobServiceClient, ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { getStore, isStoreError } from "@truthound/store-core";
import { describe, expect, it } from "vitest";
import { AzureBlobStore } from "../src/index.js";

const KEY = Buffer.from("k".repeat(64)).toString("base64");
const CS = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${KEY};EndpointSuffix=core.windows.net`;
const SAS = "sv=2025-01-05&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&sig=abc%3D";

function configurationError(make: () => unknown, field: string): void {
  try {
    make();
  } catch (error) {
    expect(isStoreError(error, "CONFIGURATION"), String(error)).toBe(true);
    expect((error as Error).message).toContain(field);
    return;
  }
  throw new Error(`expected a CONFIGURATION error about ${field}`);
}

describe("AzureBlobStore options", () => {
  it("requires a valid container name", () => {
    configurationError(() => new AzureBlobStore({ connectionString: CS }), "container");
    configurationError(
      () => new AzureBlobStore({ connectionString: CS, container: "Bad_Name" }),
      "container",
    );
    configurationError(() => new AzureBlobStore({ connectionString: CS, container: "a--b" }), "container");
  });

  it("rejects unknown and mistyped options naming the field", () => {
    const base = { connectionString: CS, container: "results" };
    configurationError(() => new AzureBlobStore({ ...base, tier: "Hot" } as never), "tier");
    configurationError(
      () => new AzureBlobStore({ ...base, useCompression: "yes" } as never),
      "useCompression",
    );
    configurationError(() => new AzureBlobStore({ ...base, accessTier: "Premium" } as never), "accessTier");
    configurationError(() => new AzureBlobStore({ ...base, contentType: "json" }), "contentType");
    configurationError(() => new AzureBlobStore({ ...base, prefix: "../escape" }), "prefix");
    configurationError(() => new AzureBlobStore({ ...base, namespace: "a/b" }), "namespace");
    configurationError(
      () => new AzureBlobStore({ ...base, compatibility: "legacy" } as never),
      "compatibility",
    );
    configurationError(() => new AzureBlobStore({ ...base, blockSizeBytes: 0 }), "blockSizeBytes");
    configurationError(() => new AzureBlobStore({ ...base, uploadConcurrency: 1.5 }), "uploadConcurrency");
    configurationError(
      () => new AzureBlobStore({ ...base, retryOptions: { tries: 2 } } as never),
      "retryOptions",
    );
    configurationError(() => new AzureBlobStore({ ...base, retryOptions: { maxTries: 0 } }), "retryOptions");
    configurationError(
      () => new AzureBlobStore({ ...base, compatibility: "python", codecs: [{} as never] }),
      "codecs",
    );
  });

  it("validates metadata as Azure does, and reserves the kit's names", () => {
    const base = { connectionString: CS, container: "results" };
    configurationError(() => new AzureBlobStore({ ...base, metadata: { "team-name": "dq" } }), "metadata");
    configurationError(() => new AzureBlobStore({ ...base, metadata: { "1st": "dq" } }), "metadata");
    configurationError(() => new AzureBlobStore({ ...base, metadata: { team: "ünï" } }), "metadata");
    configurationError(() => new AzureBlobStore({ ...base, metadata: { team: 1 } } as never), "metadata");
    configurationError(() => new AzureBlobStore({ ...base, metadata: { Truthound_Token: "x" } }), "metadata");
    configurationError(
      () => new AzureBlobStore({ ...base, metadata: { big: "x".repeat(9000) } }),
      "metadata",
    );
    expect(new AzureBlobStore({ ...base, metadata: { Team_1: "data quality" } }).container).toBe("results");
  });

  it("selects each of the five authentication methods", () => {
    const container = "results";
    expect(new AzureBlobStore({ container, connectionString: CS }).authMethod).toBe("connectionString");
    expect(
      new AzureBlobStore({ container, accountUrl: "https://acct.blob.core.windows.net", sasToken: `?${SAS}` })
        .authMethod,
    ).toBe("sasToken");
    expect(new AzureBlobStore({ container, accountName: "acct", accountKey: KEY }).authMethod).toBe(
      "accountKey",
    );
    expect(
      new AzureBlobStore({ container, accountUrl: "https://acct.blob.core.windows.net", accountKey: KEY })
        .authMethod,
    ).toBe("accountKey");
    expect(
      new AzureBlobStore({ container, accountUrl: "https://acct.blob.core.windows.net" }).authMethod,
    ).toBe("defaultCredential");
  });

  it("builds the client each method describes", async () => {
    const container = "results";
    const fromName = await new AzureBlobStore({
      container,
      accountName: "acct",
      accountKey: KEY,
    }).containerClient();
    expect(fromName.url).toBe("https://acct.blob.core.windows.net/results");
    expect(fromName.credential).toBeInstanceOf(StorageSharedKeyCredential);
    expect((fromName.credential as StorageSharedKeyCredential).accountName).toBe("acct");
    // Azurite's path-style URL: the account is the first path segment.
    const emulator = await new AzureBlobStore({
      container,
      accountUrl: "http://127.0.0.1:10000/devstoreaccount1/",
      accountKey: KEY,
    }).containerClient();
    expect(emulator.url).toBe("http://127.0.0.1:10000/devstoreaccount1/results");
    expect((emulator.credential as StorageSharedKeyCredential).accountName).toBe("devstoreaccount1");
    const sas = await new AzureBlobStore({
      container,
      accountUrl: "https://acct.blob.core.windows.net",
      sasToken: SAS,
    }).containerClient();
    expect(sas.url).toBe(`https://acct.blob.core.windows.net/results?${SAS}`);
    const cs = await new AzureBlobStore({ container, connectionString: CS }).containerClient();
    expect(cs.url).toBe("https://acct.blob.core.windows.net/results");
    expect(cs.accountName).toBe("acct");
  });

  it("ambiguous or incomplete authentication is a CONFIGURATION error naming the option", () => {
    const container = "results";
    const url = "https://acct.blob.core.windows.net";
    configurationError(() => new AzureBlobStore({ container }), "no authentication");
    configurationError(
      () => new AzureBlobStore({ container, connectionString: CS, accountKey: KEY }),
      "accountKey",
    );
    configurationError(
      () => new AzureBlobStore({ container, connectionString: CS, accountUrl: url }),
      "accountUrl",
    );
    configurationError(
      () => new AzureBlobStore({ container, accountUrl: url, sasToken: SAS, accountKey: KEY }),
      "accountKey",
    );
    configurationError(
      () => new AzureBlobStore({ container, accountName: "acct", sasToken: SAS, accountUrl: url }),
      "accountName",
    );
    configurationError(() => new AzureBlobStore({ container, sasToken: SAS }), "accountUrl");
    configurationError(() => new AzureBlobStore({ container, accountName: "acct" }), "accountKey");
    configurationError(() => new AzureBlobStore({ container, accountKey: KEY }), "accountName");
    configurationError(
      () => new AzureBlobStore({ container, accountUrl: "http://acct.example.com" }),
      "https",
    );
    configurationError(() => new AzureBlobStore({ container, accountUrl: `${url}?${SAS}` }), "accountUrl");
    configurationError(
      () => new AzureBlobStore({ container, accountUrl: url, sasToken: "not-a-sas" }),
      "sasToken",
    );
    configurationError(
      () => new AzureBlobStore({ container, accountName: "acct", accountKey: "not base64!" }),
      "accountKey",
    );
    configurationError(
      () => new AzureBlobStore({ container, connectionString: "AccountName=x" }),
      "connectionString",
    );
  });

  it("a caller-supplied client excludes authentication and retry options and is used as given", async () => {
    const service = new BlobServiceClient("https://acct.blob.core.windows.net");
    const client = service.getContainerClient("results");
    configurationError(
      () => new AzureBlobStore({ containerClient: client, connectionString: CS }),
      "connectionString",
    );
    configurationError(
      () => new AzureBlobStore({ containerClient: client, retryOptions: { maxTries: 1 } }),
      "retryOptions",
    );
    configurationError(
      () => new AzureBlobStore({ containerClient: client, container: "other" }),
      "container",
    );
    configurationError(() => new AzureBlobStore({ serviceClient: service }), "container");
    configurationError(
      () => new AzureBlobStore({ containerClient: client, serviceClient: service }),
      "serviceClient",
    );
    configurationError(
      () => new AzureBlobStore({ containerClient: {} as ContainerClient }),
      "containerClient",
    );
    const store = new AzureBlobStore({ containerClient: client });
    expect(store.container).toBe("results");
    expect(await store.containerClient()).toBe(client);
    const viaService = new AzureBlobStore({ serviceClient: service, container: "other-results" });
    expect((await viaService.containerClient()).url).toBe("https://acct.blob.core.windows.net/other-results");
    expect(client).toBeInstanceOf(ContainerClient);
  });

  it("setAccessTier refuses unknown tiers and hostile ids before any request", async () => {
    const store = new AzureBlobStore({ connectionString: CS, container: "results" });
    await expect(store.setAccessTier("r1", "Premium" as never)).rejects.toSatisfy((e) =>
      isStoreError(e, "INVALID_ARGUMENT"),
    );
    await expect(store.setAccessTier("", "Hot")).rejects.toSatisfy((e) =>
      isStoreError(e, "INVALID_ARGUMENT"),
    );
  });

  it("uses Truthound-py's key layout", () => {
    const container = "results";
    expect(
      new AzureBlobStore({ container, connectionString: CS }).documentKey("run_20240101_000000_abcdef01"),
    ).toBe("truthound/default/results/run_20240101_000000_abcdef01.json.gz");
    expect(
      new AzureBlobStore({
        container,
        connectionString: CS,
        prefix: "a/b",
        namespace: "ns",
        useCompression: false,
      }).documentKey("x/y"),
    ).toBe("a/b/ns/results/x%2Fy.json");
  });

  it('registers as "azure" with the aliases azure_blob and azureblob', async () => {
    for (const name of ["azure", "azure_blob", "azureblob"]) {
      const store = await getStore(name, { connectionString: CS, container: "results" });
      expect(store).toBeInstanceOf(AzureBlobStore);
    }
  });
});
