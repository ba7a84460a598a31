import {
  BlobServiceClient,
  type ContainerClient,
  type StoragePipelineOptions,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { StoreConfigurationError } from "@truthound/store-core";
import type { AzureBlobStoreOptions } from "./options.js";

/** How the store reaches its container: exactly one of the seeds' five authentication methods, or a client. */
export type AzureConnection =
  | { method: "connectionString"; connectionString: string }
  | { method: "sasToken"; accountUrl: string; sasToken: string }
  | { method: "accountKey"; accountUrl: string; accountName: string; accountKey: string }
  | { method: "defaultCredential"; accountUrl: string }
  | { method: "containerClient"; client: ContainerClient }
  | { method: "serviceClient"; client: BlobServiceClient };

const AUTH_FIELDS = ["connectionString", "accountUrl", "accountName", "accountKey", "sasToken"] as const;
const CLIENT_FIELDS = ["containerClient", "serviceClient"] as const;
type Field = (typeof AUTH_FIELDS)[number] | (typeof CLIENT_FIELDS)[number] | "container" | "retryOptions";

const METHODS =
  "connectionString; accountUrl + sasToken; accountName + accountKey; accountUrl + accountKey; " +
  "accountUrl alone (DefaultAzureCredential from @azure/identity); or a containerClient/serviceClient";

function fail(field: Field, message: string): never {
  throw new StoreConfigurationError(`AzureBlobStore: ${message}`, { details: { field } });
}

function isIpOrLocal(hostname: string): boolean {
  return (
    /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) ||
    hostname.startsWith("[") ||
    hostname === "localhost" ||
    !hostname.includes(".")
  );
}

/** The account an account URL addresses: the first host label, or the first path segment on emulators (Azurite). */
export function accountNameFromUrl(accountUrl: string): string | undefined {
  const url = new URL(accountUrl);
  const name = isIpOrLocal(url.hostname) ? url.pathname.split("/")[1] : url.hostname.split(".")[0];
  return name === undefined || name === "" ? undefined : name;
}

/**
 * Decides the authentication method. Exactly one must be configured: a field of a second method, or of none,
 * is a `CONFIGURATION` error naming it.
 */
export function resolveConnection(o: AzureBlobStoreOptions<unknown>): AzureConnection {
  const has = (field: Field) => o[field] !== undefined;
  const clients = CLIENT_FIELDS.filter(has);
  if (clients.length > 0) {
    const [client] = clients;
    if (clients.length > 1)
      fail("serviceClient", "give either 'containerClient' or 'serviceClient', not both");
    const extra = [...AUTH_FIELDS, "retryOptions" as const].find(has);
    if (extra !== undefined) {
      fail(
        extra,
        `option '${extra}' configures a client and cannot be combined with a caller-supplied '${client}'`,
      );
    }
    if (o.containerClient !== undefined) {
      if (o.container !== undefined && o.container !== o.containerClient.containerName) {
        fail(
          "container",
          `option 'container' (${o.container}) differs from the containerClient's container (${o.containerClient.containerName})`,
        );
      }
      return { method: "containerClient", client: o.containerClient };
    }
    if (o.container === undefined) fail("container", "option 'container' is required with a serviceClient");
    return { method: "serviceClient", client: o.serviceClient as BlobServiceClient };
  }
  if (o.container === undefined) fail("container", "option 'container' is required");
  const ambiguous = (first: Field, second: Field): never =>
    fail(
      second,
      `options '${first}' and '${second}' belong to different authentication methods; configure exactly one of: ${METHODS}`,
    );

  if (o.connectionString !== undefined) {
    const other = AUTH_FIELDS.find((f) => f !== "connectionString" && has(f));
    if (other !== undefined) ambiguous("connectionString", other);
    return { method: "connectionString", connectionString: o.connectionString };
  }
  if (o.sasToken !== undefined) {
    if (o.accountKey !== undefined) ambiguous("sasToken", "accountKey");
    if (o.accountName !== undefined) ambiguous("sasToken", "accountName");
    if (o.accountUrl === undefined) fail("sasToken", "option 'sasToken' needs 'accountUrl'");
    return { method: "sasToken", accountUrl: o.accountUrl, sasToken: o.sasToken.replace(/^\?/, "") };
  }
  if (o.accountKey !== undefined) {
    if (o.accountName === undefined && o.accountUrl === undefined) {
      fail("accountKey", "option 'accountKey' needs 'accountName' or 'accountUrl'");
    }
    const accountUrl = o.accountUrl ?? `https://${o.accountName}.blob.core.windows.net`;
    const accountName = o.accountName ?? accountNameFromUrl(accountUrl);
    if (accountName === undefined) {
      fail("accountName", "the account name cannot be derived from 'accountUrl': set 'accountName'");
    }
    return { method: "accountKey", accountUrl, accountName, accountKey: o.accountKey };
  }
  if (o.accountName !== undefined) {
    fail(
      "accountName",
      "option 'accountName' needs 'accountKey' (for DefaultAzureCredential give 'accountUrl' alone)",
    );
  }
  if (o.accountUrl !== undefined) {
    if (!o.accountUrl.startsWith("https:")) {
      fail(
        "accountUrl",
        "DefaultAzureCredential (accountUrl alone) needs an https accountUrl: bearer tokens are never sent over http",
      );
    }
    return { method: "defaultCredential", accountUrl: o.accountUrl };
  }
  return fail("connectionString", `no authentication configured; give one of: ${METHODS}`);
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The container client of every method except DefaultAzureCredential (which needs an async import). */
export function containerClientFor(
  connection: Exclude<AzureConnection, { method: "defaultCredential" }>,
  container: string,
  pipeline: StoragePipelineOptions,
): ContainerClient {
  switch (connection.method) {
    case "containerClient":
      return connection.client;
    case "serviceClient":
      return connection.client.getContainerClient(container);
    case "connectionString": {
      let service: BlobServiceClient;
      try {
        service = BlobServiceClient.fromConnectionString(connection.connectionString, pipeline);
      } catch (error) {
        // The SDK's message names the missing part, never the key.
        throw new StoreConfigurationError(
          `AzureBlobStore: option 'connectionString' is invalid: ${(error as Error).message}`,
          { details: { field: "connectionString" } },
        );
      }
      return service.getContainerClient(container);
    }
    case "sasToken":
      return new BlobServiceClient(
        `${withoutTrailingSlash(connection.accountUrl)}?${connection.sasToken}`,
        undefined,
        pipeline,
      ).getContainerClient(container);
    case "accountKey":
      return new BlobServiceClient(
        withoutTrailingSlash(connection.accountUrl),
        new StorageSharedKeyCredential(connection.accountName, connection.accountKey),
        pipeline,
      ).getContainerClient(container);
  }
}

export const IDENTITY_PACKAGE = "@azure/identity";

/** Loads `@azure/identity`; replaceable in tests. */
export type IdentityImporter = () => Promise<{ DefaultAzureCredential: new () => AzureTokenCredential }>;

/** The shape of `TokenCredential` (from `@azure/core-auth`, which the SDK does not re-export). */
export interface AzureTokenCredential {
  getToken(
    scopes: string | string[],
    options?: object,
  ): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

const importIdentity: IdentityImporter = () => import("@azure/identity");

/** A container client authenticated with `DefaultAzureCredential` from the optional peer `@azure/identity`. */
export async function defaultCredentialContainerClient(
  accountUrl: string,
  container: string,
  pipeline: StoragePipelineOptions,
  importer: IdentityImporter = importIdentity,
): Promise<ContainerClient> {
  let identity: Awaited<ReturnType<IdentityImporter>>;
  try {
    identity = await importer();
  } catch (error) {
    throw new StoreConfigurationError(
      `AzureBlobStore: 'accountUrl' alone authenticates with DefaultAzureCredential, which needs the package ${IDENTITY_PACKAGE}: install it, or configure another authentication method`,
      { cause: error, details: { field: "accountUrl", package: IDENTITY_PACKAGE } },
    );
  }
  const credential = new identity.DefaultAzureCredential();
  return new BlobServiceClient(withoutTrailingSlash(accountUrl), credential, pipeline).getContainerClient(
    container,
  );
}
