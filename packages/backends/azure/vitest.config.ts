import { defineConfig } from "vitest/config";

// Integration tests talk to a real Azurite and spawn writer processes and Python on a small machine.
// Files run one at a time (each makes containers and spawns processes on a small machine).
export default defineConfig({
  test: {
    name: "@truthound/store-azure",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
