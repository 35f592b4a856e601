import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. Most
    // slow tests wait on child processes (the CLIs, tsc, git, redocly diff) or on local servers,
    // so three workers keep both cores busy.
    maxWorkers: 3,
    // Pipeline tests spawn the real CLIs and run openapi-typescript + tsc in-process.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
  },
});
