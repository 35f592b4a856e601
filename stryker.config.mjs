// @ts-check
/**
 * Mutation testing of src/ and scripts/: `npm run test:mutation` (docs/mutation-testing.md).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner", "./test/mutation/folder-score-reporter.mjs"],
  mutate: [
    "src/**/*.ts",
    "scripts/**/*.ts",
    // The CLI entry files (every file directly in scripts/): top-level `await runCli(...)` that
    // parses process.argv and sets the exit code, so only a spawned process runs them, and a
    // mutant is active only inside Stryker's own test process. What they delegate to is mutated.
    "!scripts/*.ts",
  ],
  coverageAnalysis: "perTest",
  // A static mutant (module-level code: constant tables, regexes, messages) is active only while
  // its module loads, so Stryker must run the whole test selection for it (~4 min here) instead
  // of the few tests that cover it. They are left out of the score (reported as ignored);
  // docs/mutation-testing.md says how many, and `--ignoreStatic false` includes them.
  ignoreStatic: true,
  // Stryker marks files `// @ts-nocheck` so that mutated code still compiles; by default that
  // includes every .ts under test/, the fixture project's generated/ too, which the drift tests
  // then see as hand-edited. Only the mutated folders need it.
  disableTypeChecks: "{src,scripts}/**/*.ts",
  // Results are reused by mutant and covering test; the file is committed, so a fresh clone
  // re-runs only the mutants whose code or tests changed since.
  incremental: true,
  incrementalFile: "test/mutation/stryker-incremental.json",
  reporters: ["html", "json", "clear-text", "progress", "folder-score"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: false, reportTests: false },
  // A pipeline test runs Redocly and openapi-typescript (0.3-2 s); a shared, loaded machine
  // slows it further. A mutant that makes a test hang (a loop, a stalled request) is still
  // stopped after about twice its normal time plus 15 s.
  timeoutFactor: 2,
  timeoutMS: 15_000,
  dryRunTimeoutMinutes: 15,
  concurrency: 1,
  tempDirName: ".stryker-tmp",
  // Not needed by the tests; *.tgz and the generated/ temp folders come and go while others work.
  // `.git` is copied (3 MB): test/pipeline/line-endings.test.ts clones the repository.
  ignorePatterns: ["dist", "reports", "*.tgz", ".generated-*", "!.git"],
  thresholds: { high: 90, low: 85, break: null },
};
