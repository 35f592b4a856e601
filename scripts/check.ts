/**
 * npm run check [-- --root <dir>]
 * The drift gate: regenerates in memory and fails when generated/ differs from it.
 */
import { formatChangeReport } from "./gate/change-report.ts";
import { check, formatDrift } from "./gate/drift.ts";
import { runCli } from "./shared/cli.ts";
import { displayPath } from "./shared/project.ts";

const command = {
  usage: "npm run check -- [--root <dir>]",
  options: {},
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ layout }) => {
  const { result, drift, changes } = await check(layout);
  const dirName = displayPath(layout, layout.generatedDir);
  if (drift.length === 0) {
    console.log(`check: ${dirName}/ matches spec/ (${result.files.size} files)`);
    return 0;
  }
  console.error(`check: ${dirName}/ does not match spec/ (${drift.length} file${drift.length === 1 ? "" : "s"})\n`);
  console.error(formatDrift(drift));
  if (changes) console.error(`\n${formatChangeReport(changes.report, changes.base, changes.revision)}`);
  console.error(`\nFix: run \`npm run generate\` and commit ${dirName}/ (never edit it by hand).`);
  return 1;
});
