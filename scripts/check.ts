/**
 * npm run check [-- --root <dir>] [--format text|markdown|summary]
 * The drift gate: regenerates in memory and fails when generated/ differs from it.
 * With --format markdown or summary, stdout holds only the change report of generated/ against
 * what spec/ builds ("none" when the bundle matches); everything else goes to stderr.
 */
import { check, formatDrift } from "./gate/drift.ts";
import { formatBundleChanges, noChanges, parseReportFormat } from "./gate/report-format.ts";
import { runCli } from "./shared/cli.ts";
import { displayPath } from "./shared/project.ts";

const command = {
  usage: "npm run check -- [--root <dir>] [--format text|markdown|summary]",
  options: { format: { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const format = parseReportFormat(values.format, command);
  const { result, drift, changes } = await check(layout);
  const dirName = displayPath(layout, layout.generatedDir);
  if (format !== "text") {
    console.log(formatBundleChanges(changes ?? noChanges(displayPath(layout, layout.bundleFile), "spec/"), format));
  }
  if (drift.length === 0) {
    (format === "text" ? console.log : console.error)(`check: ${dirName}/ matches spec/ (${result.files.size} files)`);
    return 0;
  }
  console.error(`check: ${dirName}/ does not match spec/ (${drift.length} file${drift.length === 1 ? "" : "s"})\n`);
  console.error(formatDrift(drift));
  if (changes && format === "text") console.error(`\n${formatBundleChanges(changes, format)}`);
  console.error(`\nFix: run \`npm run generate\` and commit ${dirName}/ (never edit it by hand).`);
  return 1;
});
