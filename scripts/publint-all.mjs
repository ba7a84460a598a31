#!/usr/bin/env node
// Runs publint on every publishable (non-private) workspace package, after the build.
// Warnings count as errors ("publint is clean"); suggestions are printed but do not fail the run.
import { relative } from "node:path";
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
  return problems.length;
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
