import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "@truthound/codec-keystores",
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "test/**/*.faults.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
