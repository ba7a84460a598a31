import { defineConfig } from "vitest/config";

// Integration tests talk to a real Redis and spawn writer processes on a small machine.
export default defineConfig({
  test: {
    name: "@truthound/store-redis",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
