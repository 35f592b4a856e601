import { formatChangeSummary } from "../gate/report-format.ts";
import { usageError } from "../shared/cli.ts";
import type { ReleasePlan } from "./plan.ts";

/** `--date YYYY-MM-DD` (a real calendar day), for a reproducible entry; today (UTC) when not given. */
export function parseDate(value: string | undefined, command: { usage: string }): string | undefined {
  if (value === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (day === undefined || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw usageError(`command line: --date takes a day as YYYY-MM-DD, not ${JSON.stringify(value)}`, command);
  }
  return value;
}

/** Why there is no release: the API did not change, and what is not rated. */
export function formatNothing(plan: Extract<ReleasePlan, { kind: "nothing" }>): string {
  return [
    `nothing to release: no API change since ${plan.last.tag}.`,
    "Changes to the client in src/ are not rated: for those, bump by hand with",
    "`npm version patch|minor|major` (it commits and tags), then push the tag.",
  ].join("\n");
}

/** The plan's first line: from which release to which version, and why. */
export function formatHeadline(plan: Extract<ReleasePlan, { kind: "release" }>): string {
  const summary = formatChangeSummary(plan.changes.report);
  if (plan.last === undefined) {
    return `first release: ${plan.version} (package.json's version; no v<version> tag reachable from HEAD), ${summary}`;
  }
  // The plan took package.json's version over the rating's: say so, or the jump looks wrong.
  const raised =
    plan.rated !== plan.version
      ? ` (package.json's version, raised by hand; the rating alone gives ${plan.rated})`
      : "";
  return `${plan.last.tag} → ${plan.version}${raised}: ${summary}`;
}

/** What release:apply wrote, and the git commands that finish the release. */
export function formatApplied(plan: Extract<ReleasePlan, { kind: "release" }>, written: readonly string[]): string {
  const v = plan.version;
  const version = plan.current === v ? `${v} (as it was)` : `${plan.current} → ${v}`;
  return [
    `wrote ${written.join(", ")}: version ${version}, and the ${v} entry on top of CHANGELOG.md`,
    "",
    "Next:",
    `  git add ${written.join(" ")}`,
    `  git commit -m "Release ${v}"`,
    `  git tag v${v}`,
    `  git push origin HEAD v${v}     # the tag starts .github/workflows/release.yml, which publishes to npm`,
  ].join("\n");
}
