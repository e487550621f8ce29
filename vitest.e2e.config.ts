import { defineConfig } from "vitest/config";

// e2e tests drive the real lifecycle, Docker and registry: run them one file at a time,
// with generous timeouts (pip installs from the real PyPI).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
