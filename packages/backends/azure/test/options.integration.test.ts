import { randomBytes } from "node:crypto";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  ContainerClient,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  newPipeline,
  SASProtocol,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { isStoreError, ValidationResult } from "@truthound/store-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureBlobStore, type AzureBlobStoreOptions } from "../src/index.js";
import { adminService, azurite, createContainer, requireAzurite } from "./helpers/azurite.js";

function result(runId: string, extra: Partial<ConstructorParameters<typeof ValidationResult>[0]> = {}) {
  return new ValidationResult({ runId, dataAsset: "orders.csv", status: "success", ...extra });
}

const HOUR = 3600 * 1000;

describe.skipIf(azurite === undefined)("AzureBlobStore options and authentication, seen on Azurite", () => {
  let container = "";
  let admin: ContainerClient;
  let drop: (() => Promise<void>) | undefined;
  const cs = () => ({ connectionString: requireAzurite().connectionString, container });
  const props = (key: string) => admin.getBlobClient(key).getProperties();

  beforeAll(async () => {
    const created = await createContainer(requireAzurite(), "options");
    container = created.name;
    admin = created.client;
    drop = created.drop;
  });
  afterAll(async () => drop?.());

  async function roundTrip(options: AzureBlobStoreOptions, id: string): Promise<AzureBlobStore> {
    const store = new AzureBlobStore(options);
    await store.save(result(id));
    expect((await store.get(id)).runId).toBe(id);
    expect(await store.listIds({ dataAsset: "orders.csv" })).toContain(id);
    expect(await store.delete(id)).toBe(true);
    await store.close();
    return store;
  }

  describe("each authentication method Azurite supports", () => {
    it("connection string", async () => {
      const store = await roundTrip({ ...cs(), namespace: "auth-cs" }, "cs-1");
      expect(store.authMethod).toBe("connectionString");
    });

    it("account URL + account key (account name taken from the emulator URL)", async () => {
      const env = requireAzurite();
      const store = await roundTrip(
        { container, accountUrl: env.blobEndpoint, accountKey: env.key, namespace: "auth-url-key" },
        "url-key-1",
      );
      expect(store.authMethod).toBe("accountKey");
    });

    it("account name + key with the endpoint", async () => {
      const env = requireAzurite();
      await roundTrip(
        {
          container,
          accountName: env.account,
          accountKey: env.key,
          accountUrl: env.blobEndpoint,
          namespace: "auth-name-key",
        },
        "name-key-1",
      );
    });

    it("account URL + SAS token: an account SAS and a container SAS generated with the account key", async () => {
      const env = requireAzurite();
      const key = new StorageSharedKeyCredential(env.account, env.key);
      const expiresOn = new Date(Date.now() + HOUR);
      const accountSas = generateAccountSASQueryParameters(
        {
          expiresOn,
          services: AccountSASServices.parse("b").toString(),
          resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
          permissions: AccountSASPermissions.parse("rwdlac"),
          protocol: SASProtocol.HttpsAndHttp,
        },
        key,
      ).toString();
      const viaAccount = await roundTrip(
        { container, accountUrl: env.blobEndpoint, sasToken: accountSas, namespace: "auth-sas" },
        "sas-1",
      );
      expect(viaAccount.authMethod).toBe("sasToken");
      const containerSas = generateBlobSASQueryParameters(
        {
          containerName: container,
          expiresOn,
          permissions: ContainerSASPermissions.parse("racwdl"),
          protocol: SASProtocol.HttpsAndHttp,
        },
        key,
      ).toString();
      await roundTrip(
        { container, accountUrl: env.blobEndpoint, sasToken: `?${containerSas}`, namespace: "auth-sas" },
        "sas-2",
      );
    });

    it("a read-only SAS reads but gets PERMISSION on writes; a wrong key gets PERMISSION", async () => {
      const env = requireAzurite();
      const writer = new AzureBlobStore({ ...cs(), namespace: "auth-ro" });
      await writer.save(result("ro-1"));
      const readOnly = generateBlobSASQueryParameters(
        {
          containerName: container,
          expiresOn: new Date(Date.now() + HOUR),
          permissions: ContainerSASPermissions.parse("rl"),
          protocol: SASProtocol.HttpsAndHttp,
        },
        new StorageSharedKeyCredential(env.account, env.key),
      ).toString();
      const reader = new AzureBlobStore({
        container,
        accountUrl: env.blobEndpoint,
        sasToken: readOnly,
        namespace: "auth-ro",
      });
      expect((await reader.get("ro-1")).runId).toBe("ro-1");
      const denied = await reader.save(result("ro-2")).catch((e: unknown) => e);
      expect(isStoreError(denied, "PERMISSION"), String(denied)).toBe(true);
      const wrongKey = new AzureBlobStore({
        container,
        accountUrl: env.blobEndpoint,
        accountKey: Buffer.from(randomBytes(64)).toString("base64"),
      });
      const error = await wrongKey.get("ro-1").catch((e: unknown) => e);
      expect(isStoreError(error, "PERMISSION"), String(error)).toBe(true);
      await writer.close();
    });

    it("accountUrl alone uses DefaultAzureCredential from @azure/identity (refused over http before any request)", () => {
      expect(() => new AzureBlobStore({ container, accountUrl: requireAzurite().blobEndpoint })).toThrow(
        /https/,
      );
    });
  });

  it("accessTier and metadata are applied to documents at upload, not to index objects", async () => {
    const store = new AzureBlobStore({
      ...cs(),
      namespace: "tier",
      accessTier: "Cool",
      metadata: { team: "data quality", Cost_Center: "42" },
    });
    await store.save(result("t1"));
    const doc = await props(store.documentKey("t1"));
    expect(doc.accessTier).toBe("Cool");
    expect(doc.metadata).toMatchObject({ team: "data quality", cost_center: "42" });
    expect(doc.metadata?.truthound_token).toBeTruthy();
    for await (const marker of admin.listBlobsFlat({ prefix: store.layout.markersPrefix })) {
      const p = await props(marker.name);
      expect(p.accessTier).toBe("Hot");
      expect(p.metadata?.team).toBeUndefined();
    }
    await store.close();
  });

  it("a tier the server refuses fails the save, and nothing is stored", async () => {
    // The tier travels in the upload request itself (x-ms-access-tier), so it cannot fail silently. Azurite
    // accepts every standard tier; a pipeline policy swaps in a tier it refuses, as a premium account would.
    const env = requireAzurite();
    const pipeline = newPipeline(new StorageSharedKeyCredential(env.account, env.key));
    pipeline.factories.unshift({
      create: (next) => ({
        sendRequest: (request) => {
          if (request.headers.get("x-ms-access-tier") === "Cool")
            request.headers.set("x-ms-access-tier", "P10");
          return next.sendRequest(request);
        },
      }),
    });
    const client = new ContainerClient(`${env.blobEndpoint}/${container}`, pipeline);
    const store = new AzureBlobStore({
      containerClient: client,
      namespace: "tier-refused",
      accessTier: "Cool",
    });
    const error = await store.save(result("refused")).catch((e: unknown) => e);
    expect(isStoreError(error, "WRITE"), String(error)).toBe(true);
    expect((error as { details: { errorCode?: string } }).details.errorCode).toBe("InvalidHeaderValue");
    expect(await new AzureBlobStore({ ...cs(), namespace: "tier-refused" }).exists("refused")).toBe(false);
  });

  it("setAccessTier(Archive) makes get fail with an error naming the tier; Hot makes it readable again", async () => {
    const store = new AzureBlobStore({ ...cs(), namespace: "archive" });
    await store.save(result("old-run"));
    await store.setAccessTier("old-run", "Archive");
    expect((await props(store.documentKey("old-run"))).accessTier).toBe("Archive");
    const error = await store.get("old-run").catch((e: unknown) => e);
    expect(isStoreError(error, "READ"), String(error)).toBe(true);
    expect((error as Error).message).toContain("Archive");
    expect((error as Error).message).toContain("setAccessTier");
    expect(await store.exists("old-run")).toBe(true);
    await store.setAccessTier("old-run", "Hot");
    expect((await store.get("old-run")).runId).toBe("old-run");
    const missing = await store.setAccessTier("never-saved", "Cool").catch((e: unknown) => e);
    expect(isStoreError(missing, "NOT_FOUND")).toBe(true);
    await store.close();
  });

  it("useCompression, contentType: gzip documents carry Content-Encoding gzip; plain ones the given type", async () => {
    const gz = new AzureBlobStore({ ...cs(), namespace: "ct" });
    await gz.save(result("g1"));
    const gzProps = await props(gz.documentKey("g1"));
    expect(gz.documentKey("g1").endsWith("/results/g1.json.gz")).toBe(true);
    expect(gzProps.contentEncoding).toBe("gzip");
    expect(gzProps.contentType).toBe("application/json");
    const plain = new AzureBlobStore({
      ...cs(),
      namespace: "ct",
      useCompression: false,
      contentType: "application/vnd.truthound+json",
    });
    await plain.save(result("p1"));
    const plainProps = await props(plain.documentKey("p1"));
    expect(plainProps.contentEncoding).toBeUndefined();
    expect(plainProps.contentType).toBe("application/vnd.truthound+json");
    expect((await gz.get("p1")).runId).toBe("p1");
    expect(await gz.count()).toBe(2);
  });

  it("documents above blockUploadThresholdBytes are uploaded in blocks, conditions included", async () => {
    const store = new AzureBlobStore({
      ...cs(),
      namespace: "blocks",
      useCompression: false,
      blockUploadThresholdBytes: 1024 * 1024,
      blockSizeBytes: 512 * 1024,
      uploadConcurrency: 3,
    });
    const big = result("big", { metadata: { blob: randomBytes(2 * 1024 * 1024).toString("base64") } });
    await store.saveWithEtag(big, { ifNoneMatch: "*" });
    const blocks = await admin.getBlockBlobClient(store.documentKey("big")).getBlockList("committed");
    expect(blocks.committedBlocks?.length).toBeGreaterThanOrEqual(5);
    expect((await store.get("big")).metadata).toEqual(big.metadata);
    const again = await store.save(big, { ifNoneMatch: "*" }).catch((e: unknown) => e);
    expect(isStoreError(again, "CONFLICT")).toBe(true);
    const stale = await store.save(big, { ifMatch: '"0x8D000000000000"' }).catch((e: unknown) => e);
    expect(isStoreError(stale, "CONFLICT")).toBe(true);
    // Small documents stay single-shot uploads.
    await store.save(result("small"));
    const small = await admin.getBlockBlobClient(store.documentKey("small")).getBlockList("committed");
    expect(small.committedBlocks ?? []).toHaveLength(0);
    await store.close();
  });

  it("a missing container is a CONNECTION error naming it", async () => {
    const store = new AzureBlobStore({ ...cs(), container: "tt-no-such-container-here" });
    const error = await store.get("x").catch((e: unknown) => e);
    expect(isStoreError(error, "CONNECTION"), String(error)).toBe(true);
    expect((error as Error).message).toContain("tt-no-such-container-here");
  });

  it("caller-supplied container and service clients are used", async () => {
    const service = adminService(requireAzurite());
    const viaContainer = new AzureBlobStore({
      containerClient: service.getContainerClient(container),
      namespace: "cc",
    });
    await viaContainer.save(result("c1"));
    const viaService = new AzureBlobStore({ serviceClient: service, container, namespace: "cc" });
    expect((await viaService.get("c1")).runId).toBe("c1");
    expect((await props(viaContainer.documentKey("c1"))).etag).toBeTruthy();
  });
});
