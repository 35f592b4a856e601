import type { FragmentChange } from "./fragment-changes.ts";
import type { PullResult } from "./pull.ts";

const CHANGES: readonly FragmentChange[] = ["added", "changed", "removed", "unchanged"];

/**
 * What `spec:pull` prints on stdout: one line per fragment (`changed  spec/fragments/x.yaml
 * GET /v3beta1/...  <url>`), then a summary; a dry run says so before and after.
 */
export function formatPullReport(result: PullResult): string[] {
  const lines: string[] = [];
  if (result.dryRun) lines.push("dry run: the plan below is not written");
  for (const e of result.entries) {
    const source = e.url ?? "(no followed page)";
    lines.push(`${e.change.padEnd(9)}  ${e.fragment}  ${e.operation ?? "(not a readable fragment)"}  ${source}`);
  }
  const counts = CHANGES.map((c) => `${result.entries.filter((e) => e.change === c).length} ${c}`).join(", ");
  const pages = result.entries.filter((e) => e.url !== undefined).length;
  const from = `${pages} page${pages === 1 ? "" : "s"} from ${result.origin} (${result.language})`;
  const changed = result.entries.some((e) => e.change !== "unchanged");
  if (result.dryRun) {
    lines.push(`dry run: ${from}: ${counts}; nothing was written`);
    if (changed) lines.push("next: npm run spec:pull (without --dry-run), then npm run generate");
  } else {
    lines.push(`spec:pull: ${from}: ${counts}`);
    if (changed) lines.push("next: npm run generate");
  }
  return lines;
}
