import { defineConfig } from "vitest/config";

// Password KDFs run for real (the largest RFC 7914 vector needs 1 GiB and a few seconds), one file at a time
// so two memory-hard derivations do not compete on a small machine.
export default defineConfig({
  test: {
    name: "@truthound/codec-kdf",
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "test/**/*.faults.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
