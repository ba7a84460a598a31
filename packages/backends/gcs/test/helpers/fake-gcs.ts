import { randomBytes } from "node:crypto";
import { Storage } from "@google-cloud/storage";

/** fake-gcs-server from `scripts/services/start.sh fake_gcs`; missing, it skips locally and fails under CI=true. */
export const gcsEndpoint: string | undefined = process.env.TRUTHOUND_TEST_GCS_ENDPOINT || undefined;
if (gcsEndpoint === undefined && process.env.CI === "true") {
  throw new Error(
    "TRUTHOUND_TEST_GCS_ENDPOINT is not set under CI=true: run scripts/services/start.sh fake_gcs and source .cache/services.env",
  );
}

export function requireGcs(): string {
  if (gcsEndpoint === undefined) throw new Error("TRUTHOUND_TEST_GCS_ENDPOINT is not set");
  return gcsEndpoint;
}

/** A client of the emulator, for setting up and inspecting buckets behind the store's back. */
export function adminClient(): Storage {
  return new Storage({ apiEndpoint: requireGcs(), projectId: "truthound-test" });
}

/** A new bucket for one test file; `drop()` empties and removes it. */
export async function createBucket(label: string): Promise<{ name: string; drop(): Promise<void> }> {
  const client = adminClient();
  const name = `tt-${label}-${randomBytes(4).toString("hex")}`;
  await client.createBucket(name);
  return {
    name,
    async drop() {
      const bucket = client.bucket(name);
      await bucket.deleteFiles({ force: true });
      await bucket.delete();
    },
  };
}
