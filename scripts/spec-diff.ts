/**
 * npm run spec:diff -- <git-ref> [--fail-on major|minor|patch] [--format text|markdown|summary] [--root <dir>]
 * Rates what changed for users of the typed client between the bundle committed at <git-ref>
 * and the one spec/ builds now. With --fail-on, exits 1 when a change is at least that severe.
 */
import type { Impact } from "./gate/change-report.ts";
import { formatBundleChanges, parseReportFormat } from "./gate/report-format.ts";
import { specDiff } from "./gate/spec-diff.ts";
import { runCli, usageError } from "./shared/cli.ts";

const SEVERITY: Record<Impact | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };
const isImpact = (value: string): value is Impact => value === "major" || value === "minor" || value === "patch";

const command = {
  usage: "npm run spec:diff -- <git-ref> [--fail-on major|minor|patch] [--format text|markdown|summary] [--root <dir>]",
  options: { "fail-on": { type: "string" }, format: { type: "string" } },
  positionals: { min: 1, max: 1 },
} as const;

await runCli(command, async ({ values, positionals: [revision = ""], layout }) => {
  const failOn = values["fail-on"];
  if (failOn !== undefined && !isImpact(failOn)) {
    throw usageError(`command line: --fail-on takes major, minor or patch, not ${JSON.stringify(failOn)}`, command);
  }
  const format = parseReportFormat(values.format, command);
  const changes = await specDiff(layout, revision);
  console.log(formatBundleChanges(changes, format));
  return failOn && SEVERITY[changes.report.bump] >= SEVERITY[failOn] ? 1 : 0;
});
