// One vitest run over every workspace package (scripts/test.sh uses it). A package with its own
// vitest.config.* is used as it is; any other package with a test/ directory gets the defaults below.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectConfiguration } from "vitest/config";
import { listWorkspacePackages } from "./scripts/lib/workspace.mjs";

const repoRoot = fileURLToPath(new URL(".", import.meta.url));

// Generous because some tests spawn processes (other Node writers, Python) on a 2-core machine.
// Package configs that set their own timeouts are not affected.
const defaultTestTimeoutMs = 120_000;
const defaultHookTimeoutMs = 120_000;

const configFileNames = ["vitest.config.ts", "vitest.config.mts", "vitest.config.js", "vitest.config.mjs"];

function projectFor(dir: string, name: string): TestProjectConfiguration | undefined {
  const ownConfig = configFileNames.map((file) => join(dir, file)).find((path) => existsSync(path));
  if (ownConfig) return relative(repoRoot, ownConfig);
  if (!existsSync(join(dir, "test"))) return undefined;
  return {
    test: {
      name,
      root: dir,
      // Matches *.integration.test.ts too.
      include: ["test/**/*.test.ts"],
      testTimeout: defaultTestTimeoutMs,
      hookTimeout: defaultHookTimeoutMs,
    },
  };
}

const projects = listWorkspacePackages(repoRoot)
  .map(({ dir, manifest }) => projectFor(dir, String(manifest.name)))
  .filter((project): project is TestProjectConfiguration => project !== undefined);

export default defineConfig({
  test: {
    projects,
  },
});
