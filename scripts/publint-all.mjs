#!/usr/bin/env node
// Runs publint and are-the-types-wrong on every publishable (non-private) workspace package, after the build.
// publint warnings count as errors ("publint is clean"); suggestions are printed but do not fail the run.
// are-the-types-wrong uses its esm-only profile: the packages are ESM only (CommonJS callers on Node >= 20.19
// load them through require(esm)), so only resolution problems for ESM consumers and bundlers fail.
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { listWorkspacePackages } from "./lib/workspace.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

async function lintPackage({ dir, manifest }) {
  const { messages, pkg } = await publint({ pkgDir: dir, level: "suggestion", strict: true, pack: "pnpm" });
  const problems = messages.filter((message) => message.type === "error");
  const suggestions = messages.filter((message) => message.type === "suggestion");
  const label = `${manifest.name} (${relative(repoRoot, dir)})`;
  if (problems.length === 0) {
    console.log(`publint: ${label}: ok`);
  } else {
    console.log(`publint: ${label}: ${problems.length} problem(s)`);
  }
  for (const message of problems) console.log(`  error: ${formatMessage(message, pkg, { color: false })}`);
  for (const message of suggestions)
    console.log(`  suggestion: ${formatMessage(message, pkg, { color: false })}`);
  return problems.length + typesProblems(dir, label);
}

function typesProblems(dir, label) {
  const attw = join(repoRoot, "node_modules", ".bin", "attw");
  const run = spawnSync(attw, ["--pack", ".", "--profile", "esm-only", "--format", "ascii"], {
    cwd: dir,
    encoding: "utf8",
  });
  if (run.status === 0) {
    console.log(`attw: ${label}: ok`);
    return 0;
  }
  console.log(`attw: ${label}: problems`);
  console.log(`${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? String(run.error) : ""}`);
  return 1;
}

async function main() {
  const publishable = listWorkspacePackages(repoRoot).filter(({ manifest }) => manifest.private !== true);
  if (publishable.length === 0) {
    console.log("publint: no publishable package found");
    process.exitCode = 1;
    return;
  }
  let problems = 0;
  for (const pkg of publishable) {
    try {
      problems += await lintPackage(pkg);
    } catch (error) {
      console.log(`publint: ${pkg.manifest.name}: could not be linted: ${error.message}`);
      problems += 1;
    }
  }
  console.log(`publint: ${publishable.length} package(s), ${problems} problem(s)`);
  process.exitCode = problems > 0 ? 1 : 0;
}

await main();
