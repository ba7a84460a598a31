import { defineConfig } from "vitest/config";

// Integration tests talk to a real MinIO and spawn writer processes and Python on a small machine.
export default defineConfig({
  test: {
    name: "@truthound/store-s3",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
