/**
 * npm run check [-- --root <dir>]
 * The drift gate: regenerates in memory and fails when generated/ differs from it.
 */
import { formatChangeReport } from "./lib/change-report.ts";
import { check } from "./lib/commands.ts";
import { formatDrift } from "./lib/drift.ts";
import { displayPath, projectLayout } from "./lib/project.ts";
import { rootArg } from "./lib/root-arg.ts";
import { runCli } from "./lib/run-cli.ts";

await runCli(async (args) => {
  const layout = projectLayout(rootArg(args));
  const { result, drift, changes } = await check(layout);
  const dirName = displayPath(layout, layout.generatedDir);
  if (drift.length === 0) {
    console.log(`check: ${dirName}/ matches spec/ (${result.outputs.size} files)`);
    return 0;
  }
  console.error(`check: ${dirName}/ does not match spec/ (${drift.length} file${drift.length === 1 ? "" : "s"})\n`);
  console.error(formatDrift(drift));
  if (changes) console.error(`\n${formatChangeReport(changes.report, changes.base, changes.revision)}`);
  console.error(`\nFix: run \`npm run generate\` and commit ${dirName}/ (never edit it by hand).`);
  return 1;
});
