import { randomBytes } from "node:crypto";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Python's format: `run_YYYYMMDD_HHMMSS_<8 hex>` (UTC here; Python used local time). */
export function generateRunId(now: Date = new Date()): string {
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `run_${date}_${time}_${randomBytes(4).toString("hex")}`;
}

export const RUN_ID_PATTERN = /^run_\d{8}_\d{6}_[0-9a-f]{8}$/;
