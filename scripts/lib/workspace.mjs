// Lists the workspace's packages from pnpm-workspace.yaml, for the scripts and the root vitest config.
// Supports the two pattern shapes the workspace uses: a directory ("bench") and its children ("packages/*").
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** @param {string} repoRoot */
function readWorkspacePatterns(repoRoot) {
  const text = readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const patterns = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s+-\s+["']?([^"'#]+?)["']?\s*$/.exec(line);
    if (item?.[1]) {
      patterns.push(item[1]);
    } else if (/^\S/.test(line)) {
      inPackages = false;
    }
  }
  if (patterns.length === 0) {
    throw new Error("pnpm-workspace.yaml lists no packages");
  }
  return patterns;
}

/** @param {string} repoRoot @param {string} pattern */
function expandPattern(repoRoot, pattern) {
  if (pattern.endsWith("/*") && !pattern.slice(0, -2).includes("*")) {
    const parent = resolve(repoRoot, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name))
      .sort();
  }
  if (pattern.includes("*")) {
    throw new Error(`unsupported pnpm-workspace.yaml pattern "${pattern}" (use "dir" or "dir/*")`);
  }
  return [resolve(repoRoot, pattern)];
}

/**
 * @param {string} repoRoot
 * @returns {{ dir: string, manifest: Record<string, any> }[]}
 */
export function listWorkspacePackages(repoRoot) {
  const packages = [];
  for (const pattern of readWorkspacePatterns(repoRoot)) {
    for (const dir of expandPattern(repoRoot, pattern)) {
      const manifestPath = join(dir, "package.json");
      if (!existsSync(manifestPath)) continue;
      packages.push({ dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) });
    }
  }
  return packages;
}
