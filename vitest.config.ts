// One vitest run over every workspace package (scripts/test.sh uses it). A package with its own
// vitest.config.* is used as it is; any other package with a test/ directory gets the defaults below.
//
// Tests that stop or restart a shared test server are named `*.faults.test.ts`. They are taken out of their
// package's project and run in one last project, one file at a time, after every other test has finished,
// so no other test sees a server go away.
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
const faultTestPattern = "test/**/*.faults.test.ts";
const exclude = ["**/node_modules/**", "**/dist/**", faultTestPattern];

function projectFor(dir: string, name: string): TestProjectConfiguration | undefined {
  const ownConfig = configFileNames.map((file) => join(dir, file)).find((path) => existsSync(path));
  if (ownConfig) return { extends: ownConfig, test: { root: dir, exclude } };
  if (!existsSync(join(dir, "test"))) return undefined;
  return {
    test: {
      name,
      root: dir,
      // Matches *.integration.test.ts too.
      include: ["test/**/*.test.ts"],
      exclude,
      testTimeout: defaultTestTimeoutMs,
      hookTimeout: defaultHookTimeoutMs,
    },
  };
}

const packages = listWorkspacePackages(repoRoot);
const projects = packages
  .map(({ dir, manifest }) => projectFor(dir, String(manifest.name)))
  .filter((project): project is TestProjectConfiguration => project !== undefined);

const faultProject: TestProjectConfiguration = {
  test: {
    name: "faults (servers stopped and restarted)",
    root: repoRoot,
    include: packages.map(({ dir }) => `${relative(repoRoot, dir)}/${faultTestPattern}`),
    exclude: ["**/node_modules/**", "**/dist/**"],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
};

export default defineConfig({
  test: {
    projects: [...projects, faultProject],
  },
});
