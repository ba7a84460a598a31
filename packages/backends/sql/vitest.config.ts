import { defineConfig } from "vitest/config";

// Integration tests use a real PostgreSQL, spawn writer processes and Python, and PGlite takes seconds and
// much memory to open: files run one at a time on a small machine.
export default defineConfig({
  test: {
    name: "@truthound/store-sql",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
