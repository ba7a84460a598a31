import { randomBytes } from "node:crypto";
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import { getStore } from "@truthound/store-core";
import pg from "pg";
import type { ResultStore } from "./workflows.js";

/** A store on a real server, opened through the registry in a bucket or container the demo made for itself. */
export interface ServerStore {
  backend: string;
  /** Where the data went, e.g. `s3://bucket/truthound/demo`. */
  location: string;
  store: ResultStore;
  /** Closes the store and removes what the demo created on the server. */
  dispose(): Promise<void>;
}

export interface ServerBackend {
  backend: string;
  /** The TRUTHOUND_TEST_* variables it needs (written by scripts/services/start.sh). */
  variables: readonly string[];
  open(env: NodeJS.ProcessEnv): Promise<ServerStore>;
}

const demoName = (label: string) => `truthound-demo-${label}-${randomBytes(3).toString("hex")}`;

async function disposeStore(store: ResultStore, removeContainer: () => Promise<void>): Promise<void> {
  try {
    await store.clear();
  } finally {
    await store.close();
  }
  await removeContainer();
}

const s3: ServerBackend = {
  backend: "s3",
  variables: ["TRUTHOUND_TEST_S3_ENDPOINT", "TRUTHOUND_TEST_S3_ACCESS_KEY", "TRUTHOUND_TEST_S3_SECRET_KEY"],
  async open(env) {
    const connection = {
      endpointUrl: env.TRUTHOUND_TEST_S3_ENDPOINT as string,
      region: env.TRUTHOUND_TEST_S3_REGION || "us-east-1",
      forcePathStyle: true,
      credentials: {
        accessKeyId: env.TRUTHOUND_TEST_S3_ACCESS_KEY as string,
        secretAccessKey: env.TRUTHOUND_TEST_S3_SECRET_KEY as string,
      },
    };
    const admin = new S3Client({
      endpoint: connection.endpointUrl,
      region: connection.region,
      forcePathStyle: true,
      credentials: connection.credentials,
    });
    const bucket = demoName("s3");
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = await getStore<ResultStore>("s3", { ...connection, bucket, namespace: "demo" });
    return {
      backend: "s3",
      location: `s3://${bucket}/truthound/demo (MinIO at ${connection.endpointUrl})`,
      store,
      dispose: () =>
        disposeStore(store, async () => {
          await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
          admin.destroy();
        }),
    };
  },
};

const gcs: ServerBackend = {
  backend: "gcs",
  variables: ["TRUTHOUND_TEST_GCS_ENDPOINT"],
  async open(env) {
    const apiEndpoint = env.TRUTHOUND_TEST_GCS_ENDPOINT as string;
    const admin = new Storage({ apiEndpoint, projectId: "truthound-demo" });
    const bucket = demoName("gcs");
    await admin.createBucket(bucket);
    const store = await getStore<ResultStore>("gcs", {
      apiEndpoint,
      project: "truthound-demo",
      bucket,
      namespace: "demo",
    });
    return {
      backend: "gcs",
      location: `gs://${bucket}/truthound/demo (fake-gcs-server at ${apiEndpoint})`,
      store,
      dispose: () =>
        disposeStore(store, async () => {
          await admin.bucket(bucket).delete();
        }),
    };
  },
};

const azure: ServerBackend = {
  backend: "azure",
  variables: ["TRUTHOUND_TEST_AZURE_CONNECTION_STRING"],
  async open(env) {
    const connectionString = env.TRUTHOUND_TEST_AZURE_CONNECTION_STRING as string;
    const container = demoName("azure");
    const admin = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
    await admin.create();
    const store = await getStore<ResultStore>("azure", { connectionString, container, namespace: "demo" });
    return {
      backend: "azure",
      location: `azure://${container}/truthound/demo (Azurite at ${env.TRUTHOUND_TEST_AZURE_BLOB_ENDPOINT ?? "?"})`,
      store,
      dispose: () =>
        disposeStore(store, async () => {
          await admin.delete();
        }),
    };
  },
};

const postgres: ServerBackend = {
  backend: "database",
  variables: ["TRUTHOUND_TEST_POSTGRES_URL"],
  async open(env) {
    const connectionUrl = env.TRUTHOUND_TEST_POSTGRES_URL as string;
    // Table prefixes are short (at most 20 characters).
    const tablePrefix = `demo_${randomBytes(3).toString("hex")}_`;
    const store = await getStore<ResultStore>("database", { connectionUrl, tablePrefix, namespace: "demo" });
    const table = `${tablePrefix}validation_results`;
    return {
      backend: "database",
      location: `PostgreSQL table ${table} (${new URL(connectionUrl).host})`,
      store,
      dispose: () =>
        disposeStore(store, async () => {
          const client = new pg.Client({ connectionString: connectionUrl });
          await client.connect();
          try {
            await client.query(`DROP TABLE IF EXISTS "${table}", "${table}_migrations"`);
          } finally {
            await client.end();
          }
        }),
    };
  },
};

const redis: ServerBackend = {
  backend: "redis",
  variables: ["TRUTHOUND_TEST_REDIS_URL"],
  async open(env) {
    const url = env.TRUTHOUND_TEST_REDIS_URL as string;
    const keyPrefix = `${demoName("redis")}:`;
    const store = await getStore<ResultStore>("redis", { url, keyPrefix, namespace: "demo" });
    return {
      backend: "redis",
      location: `Redis keys ${keyPrefix}* (${new URL(url).host})`,
      store,
      // clear() removes the documents and their index keys.
      dispose: () => disposeStore(store, async () => {}),
    };
  },
};

/** Every server backend the demo shows with --services, in the order it shows them. */
export const SERVER_BACKENDS: readonly ServerBackend[] = [s3, gcs, azure, postgres, redis];

/** The variables `--services` needs that the environment lacks. */
export function missingServerVariables(env: NodeJS.ProcessEnv): string[] {
  return SERVER_BACKENDS.flatMap((b) => b.variables).filter((name) => !env[name]);
}
