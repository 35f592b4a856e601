/**
 * npm run generate [-- --root <dir>] [--timings]
 * Builds generated/ from spec/: nothing is written unless every stage succeeds.
 */
import { performance } from "node:perf_hooks";
import { generate } from "./build/pipeline.ts";
import { formatChangeReport } from "./gate/change-report.ts";
import { runCli } from "./shared/cli.ts";
import { formatLocation } from "./shared/pipeline-error.ts";
import { displayPath } from "./shared/project.ts";

const command = {
  usage: "npm run generate -- [--root <dir>] [--timings]",
  options: { timings: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  // --timings: each stage's wall time on stderr, to see where a slow run spends it.
  const onStage = values.timings
    ? (name: string, ms: number) => console.error(`  ${name.padEnd(28)} ${Math.round(ms)} ms`)
    : undefined;
  if (onStage) console.error(`  ${"start-up (module loading)".padEnd(28)} ${Math.round(performance.now())} ms`);
  const result = await generate(layout, onStage ? { onStage } : {});
  for (const w of result.warnings) console.warn(`warning: ${formatLocation(w.location)} ${w.message} [${w.ruleId}]`);
  const { operations, schemas, fragments, overlays } = result.stats;
  // performance.now() counts from process start, so module loading is included.
  const ms = Math.round(performance.now());
  console.log(
    `generated ${displayPath(layout, layout.generatedDir)}/ from ${fragments} fragments and ${overlays} overlays: ` +
      `${operations} operations, ${schemas} schemas, ${result.warnings.length} warnings, ${ms} ms`,
  );
  if (result.changes) {
    const { report, base, revision } = result.changes;
    console.log(`\n${formatChangeReport(report, base, revision)}`);
  }
  return undefined;
});
