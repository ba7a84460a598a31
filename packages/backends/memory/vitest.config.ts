import { defineConfig } from "vitest/config";

// Its own config, so that `npx vitest run` in this directory runs this package's tests only.
export default defineConfig({
  test: {
    name: "@truthound/store-memory",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
