/**
 * The test selection of `npm run test:mutation` (stryker.config.mjs). Stryker activates a mutant
 * inside the test process, so only tests that run src/ and scripts/ in process can kill one.
 * Left out: tests that only spawn processes or tools (a child process runs the code without the
 * active mutant), and tests of the test sandbox itself, which import neither src/ nor scripts/.
 * Type tests are off: they run no code.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      "**/node_modules/**",
      // Spawn `npm pack`, tsc, tsx or a copy of the repository: minutes, nothing in process.
      "test/consumer/**",
      "test/e2e/**",
      "test/docs/**",
      "test/client/example.test.ts",
      // The sandbox and its CLI: test code only.
      "test/sandbox.test.ts",
      "test/sandbox/**",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: false },
    // One module graph for all test files, kept across mutant runs: Redocly, openapi-typescript
    // and TypeScript load once instead of once per test file per mutant (the same tests took
    // 30 s instead of 70 s). Mutants are switched on at run time, so a cached module still
    // runs the active mutant. The cost: a module-level cache filled by an earlier run (the path
    // template caches of src/core/validate.ts) can hide a mutant behind it; such survivors are
    // checked by hand (docs/mutation-testing.md).
    isolate: false,
  },
});
