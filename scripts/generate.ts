/**
 * npm run generate [-- --root <dir>] [--timings] [--format text|markdown|summary]
 * Builds generated/ from spec/: nothing is written unless every stage succeeds.
 * With --format markdown or summary, stdout holds only the change report (a workflow captures
 * it for a pull request's body or title), "none" included; the "generated …" line goes to stderr.
 */
import { performance } from "node:perf_hooks";
import { generate } from "./build/pipeline.ts";
import { formatBundleChanges, noChanges, parseReportFormat } from "./gate/report-format.ts";
import { runCli } from "./shared/cli.ts";
import { formatLocation } from "./shared/pipeline-error.ts";
import { displayPath } from "./shared/project.ts";

const command = {
  usage: "npm run generate -- [--root <dir>] [--timings] [--format text|markdown|summary]",
  options: { timings: { type: "boolean" }, format: { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const format = parseReportFormat(values.format, command);
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
  const log = format === "text" ? console.log : console.error;
  log(
    `generated ${displayPath(layout, layout.generatedDir)}/ from ${fragments} fragments and ${overlays} overlays: ` +
      `${operations} operations, ${schemas} schemas, ${result.warnings.length} warnings, ${ms} ms`,
  );
  if (format === "text") {
    // Today's output, unchanged: the report only when the bundle changed.
    if (result.changes) console.log(`\n${formatBundleChanges(result.changes, format)}`);
  } else {
    const show = displayPath(layout, layout.bundleFile);
    console.log(formatBundleChanges(result.changes ?? noChanges(show, "spec/"), format));
  }
  return undefined;
});
