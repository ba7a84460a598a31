import { defineConfig } from "vitest/config";

// Tests spawn writer processes and a Python interpreter; on a small machine they need generous hooks.
export default defineConfig({
  test: {
    name: "@truthound/store-filesystem",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
