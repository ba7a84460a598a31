import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** ../shared beside the checkout holds the Wycheproof files; absent, tests skip (and fail under CI=true). */
export const VECTOR_DIR = fileURLToPath(
  new URL("../../../../../../shared/vectors/wycheproof/", import.meta.url),
);

export interface AeadVector {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: "valid" | "invalid" | "acceptable";
}

export interface AeadGroup {
  ivSize: number;
  keySize: number;
  tagSize: number;
  tests: AeadVector[];
}

export function vectorsAvailable(): boolean {
  const present = existsSync(VECTOR_DIR);
  if (!present && process.env.CI === "true") {
    throw new Error(`Wycheproof vectors are missing at ${VECTOR_DIR} (required under CI=true)`);
  }
  return present;
}

export function loadAeadGroups(file: string): AeadGroup[] {
  return JSON.parse(readFileSync(`${VECTOR_DIR}${file}`, "utf8")).testGroups as AeadGroup[];
}

export const hex = (value: string): Buffer => Buffer.from(value, "hex");
