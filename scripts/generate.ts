/**
 * npm run generate [-- --root <dir>] [--timings]
 * Builds generated/ from spec/: nothing is written unless every step succeeds.
 */
import { performance } from "node:perf_hooks";
import { formatChangeReport } from "./lib/change-report.ts";
import { generate } from "./lib/commands.ts";
import { formatLocation } from "./lib/pipeline-error.ts";
import { displayPath, projectLayout } from "./lib/project.ts";
import { rootArg } from "./lib/root-arg.ts";
import { runCli } from "./lib/run-cli.ts";

await runCli(async (args) => {
  const layout = projectLayout(rootArg(args));
  // --timings: each stage's wall time on stderr, to see where a slow run spends it.
  const onStage = args.includes("--timings")
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
