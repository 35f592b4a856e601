/**
 * npm run spec:diff -- <git-ref> [--fail-on major|minor|patch]
 * Rates what changed for users of the typed client between the bundle committed at <git-ref>
 * and the one spec/ builds now. With --fail-on, exits 1 when a change is at least that severe.
 */
import { formatChangeReport, type Impact } from "./lib/change-report.ts";
import { specDiff } from "./lib/commands.ts";
import { projectLayout } from "./lib/project.ts";
import { rootArg } from "./lib/root-arg.ts";
import { runCli } from "./lib/run-cli.ts";

const SEVERITY: Record<Impact | "none", number> = { none: 0, patch: 1, minor: 2, major: 3 };

await runCli(async (args) => {
  const flagValue = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const flagValues = new Set([flagValue("--root"), flagValue("--fail-on")]);
  const revision = args.find((a) => !a.startsWith("--") && !flagValues.has(a));
  if (!revision) throw new Error("usage: npm run spec:diff -- <git-ref> [--fail-on major|minor|patch]");
  const failOn = flagValue("--fail-on");
  if (failOn !== undefined && !(failOn in SEVERITY && failOn !== "none")) {
    throw new Error(`--fail-on takes major, minor or patch, not ${JSON.stringify(failOn)}`);
  }
  const { report, base, revision: label } = await specDiff(projectLayout(rootArg(args)), revision);
  console.log(formatChangeReport(report, base, label));
  return failOn && SEVERITY[report.bump] >= SEVERITY[failOn as Impact] ? 1 : 0;
});
