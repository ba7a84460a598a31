import { randomBytes } from "node:crypto";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";

export interface AzuriteEnv {
  connectionString: string;
  /** `http://127.0.0.1:PORT/devstoreaccount1` */
  blobEndpoint: string;
  account: string;
  key: string;
}

function readEnv(): AzuriteEnv | undefined {
  const e = process.env;
  const connectionString = e.TRUTHOUND_TEST_AZURE_CONNECTION_STRING;
  const blobEndpoint = e.TRUTHOUND_TEST_AZURE_BLOB_ENDPOINT;
  const account = e.TRUTHOUND_TEST_AZURE_ACCOUNT;
  const key = e.TRUTHOUND_TEST_AZURE_KEY;
  if (!connectionString || !blobEndpoint || !account || !key) return undefined;
  return { connectionString, blobEndpoint, account, key };
}

/** The Azurite from `scripts/services/start.sh azurite`; a missing one skips locally and fails under CI=true. */
export const azurite = readEnv();
if (azurite === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_AZURE_CONNECTION_STRING is not set under CI=true: run scripts/services/start.sh azurite and source .cache/services.env",
  );
}

/** The Azurite environment inside tests that only run when it is set. */
export function requireAzurite(): AzuriteEnv {
  if (azurite === undefined) throw new Error("TRUTHOUND_TEST_AZURE_CONNECTION_STRING is not set");
  return azurite;
}

export function adminService(env: AzuriteEnv): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(env.connectionString);
}

/** A new container for one test file; `drop()` removes it with its blobs. */
export async function createContainer(
  env: AzuriteEnv,
  label: string,
): Promise<{ name: string; client: ContainerClient; drop(): Promise<void> }> {
  const name = `tt-${label}-${randomBytes(4).toString("hex")}`;
  const client = adminService(env).getContainerClient(name);
  await client.create();
  return { name, client, drop: async () => void (await client.deleteIfExists()) };
}
