import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // The e2e suites drive the real Pulumi engine; a cold preview takes seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
