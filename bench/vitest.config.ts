import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "@truthound/bench",
    include: ["test/**/*.test.ts"],
  },
});
