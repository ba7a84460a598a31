import { createHash } from "node:crypto";
import { InvalidArgumentError } from "@truthound/store-core";

export const VERSIONING_MODES = ["INCREMENTAL", "SEMANTIC", "TIMESTAMP", "GIT_LIKE"] as const;
export type VersioningMode = (typeof VERSIONING_MODES)[number];
export const VersioningMode = {
  INCREMENTAL: "INCREMENTAL",
  SEMANTIC: "SEMANTIC",
  TIMESTAMP: "TIMESTAMP",
  GIT_LIKE: "GIT_LIKE",
} as const satisfies Record<VersioningMode, VersioningMode>;

export type SemanticBump = "major" | "minor" | "patch";

export interface LabelInput {
  mode: VersioningMode;
  number: number;
  previous: string | undefined;
  branch: string;
  contentHash: string;
  nowMs: number;
  bump: SemanticBump;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function nextSemantic(previous: string | undefined, bump: SemanticBump): string {
  if (previous === undefined) return "1.0.0";
  const match = SEMVER.exec(previous);
  if (!match) throw new InvalidArgumentError(`Previous version ${previous} is not semantic (X.Y.Z)`);
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const next =
    bump === "major"
      ? [major + 1, 0, 0]
      : bump === "minor"
        ? [major, minor + 1, 0]
        : [major, minor, patch + 1];
  if (!next.every(Number.isSafeInteger))
    throw new InvalidArgumentError(`Version ${previous} cannot be bumped`);
  return next.join(".");
}

/** Strictly increasing on a branch: a save in the same millisecond as the previous one takes the next millisecond. */
function nextTimestamp(previous: string | undefined, nowMs: number): string {
  const previousMs = previous === undefined ? Number.NEGATIVE_INFINITY : Date.parse(previous);
  return new Date(Math.max(nowMs, previousMs + 1)).toISOString();
}

/** Like a git commit id: a digest of the content, the parent and the position, so equal content still gets a new label. */
function gitLikeLabel(input: LabelInput): string {
  return createHash("sha256")
    .update(`${input.contentHash}\n${input.previous ?? ""}\n${input.branch}\n${input.number}`)
    .digest("hex")
    .slice(0, 12);
}

export function nextLabel(input: LabelInput): string {
  switch (input.mode) {
    case "INCREMENTAL":
      return `v${input.number}`;
    case "SEMANTIC":
      return nextSemantic(input.previous, input.bump);
    case "TIMESTAMP":
      return nextTimestamp(input.previous, input.nowMs);
    case "GIT_LIKE":
      return gitLikeLabel(input);
  }
}
