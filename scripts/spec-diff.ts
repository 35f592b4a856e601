/**
 * npm run spec:diff -- <git-ref> [--fail-on major|minor|patch] [--root <dir>]
 * Rates what changed for users of the typed client between the bundle committed at <git-ref>
 * and the one spec/ builds now. With --fail-on, exits 1 when a change is at least that severe.
 */
import { formatChangeReport, type Impact } from "./gate/change-report.ts";
import { specDiff } from "./gate/spec-diff.ts";
import { runCli, usageError } from "./shared/cli.ts";

const SEVERITY: Record<Impact | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };
const isImpact = (value: string): value is Impact => value === "major" || value === "minor" || value === "patch";

const command = {
  usage: "npm run spec:diff -- <git-ref> [--fail-on major|minor|patch] [--root <dir>]",
  options: { "fail-on": { type: "string" } },
  positionals: { min: 1, max: 1 },
} as const;

await runCli(command, async ({ values, positionals: [revision = ""], layout }) => {
  const failOn = values["fail-on"];
  if (failOn !== undefined && !isImpact(failOn)) {
    throw usageError(`command line: --fail-on takes major, minor or patch, not ${JSON.stringify(failOn)}`, command);
  }
  const { report, base, revision: label } = await specDiff(layout, revision);
  console.log(formatChangeReport(report, base, label));
  return failOn && SEVERITY[report.bump] >= SEVERITY[failOn] ? 1 : 0;
});
