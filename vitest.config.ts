import { defineConfig } from "vitest/config";

/**
 * Two suites. `unit` (rules, properties, programs under Pulumi's mocks, the hostile-input
 * corpus) needs only Node: no engine, no Chromium, no Python. `e2e` drives the real Pulumi
 * engine against the sandbox and independent SCIM peers; its global setup installs what it
 * needs (the engine, scim2-server, Chromium) outside the clone, once.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/property/**/*.test.ts", "test/program/**/*.test.ts", "test/corpus/**/*.test.ts"],
          // Rules first, on both cores: a broken rule fails the run in minutes, before any engine starts.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          // Program tests declare the whole sample under mocks once per file, in a hook.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          // Most of an e2e file's time is spent waiting on the engine, the provider and the
          // sandbox, so two files at once make better use of a 2-core machine than one (vitest's
          // default there).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          // A cold preview through the real engine takes seconds, not milliseconds; with two
          // files sharing the machine, a multi-apply case takes minutes.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
