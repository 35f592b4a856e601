/**
 * npm run release:apply [-- --root <dir>] [--date YYYY-MM-DD]
 * Does what release:plan prints: sets the version in package.json and package-lock.json and
 * adds the entry on top of CHANGELOG.md. Refuses when spec/ or generated/ has uncommitted
 * changes or generated/ does not match spec/. Commits, tags and pushes nothing: it prints how.
 */
import { applyRelease } from "./release/apply.ts";
import { formatApplied, formatHeadline, formatNothing, parseDate } from "./release/cli-output.ts";
import { runCli } from "./shared/cli.ts";

const command = {
  usage: "npm run release:apply -- [--root <dir>] [--date YYYY-MM-DD]",
  options: { date: { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const date = parseDate(values.date, command);
  const { plan, written } = await applyRelease(layout, date === undefined ? {} : { date });
  if (plan.kind === "nothing") {
    console.log(`release:apply: ${formatNothing(plan)}`);
    return 0;
  }
  console.log(`release:apply: ${formatHeadline(plan)}`);
  console.log(formatApplied(plan, written));
  return 0;
});
