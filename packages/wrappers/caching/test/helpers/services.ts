import { randomBytes } from "node:crypto";
import { redisAndMinioServices } from "@truthound/test-support";

export const { redisUrl, s3Endpoint, s3Options, createBucket } = await redisAndMinioServices();

/** A key prefix no other test (or helper) uses. */
export function uniquePrefix(label: string): string {
  return `tt:caching:${label}:${randomBytes(4).toString("hex")}:`;
}
