import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "@truthound/store-observability",
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "test/**/*.faults.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
