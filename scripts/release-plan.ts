/**
 * npm run release:plan [-- --root <dir>] [--date YYYY-MM-DD]
 * Prints the next version (the last `v<version>` tag bumped by the highest rating of the API
 * changes since it) and the CHANGELOG.md entry `npm run release:apply` would add. Writes nothing.
 */
import { formatHeadline, formatNothing, parseDate } from "./release/cli-output.ts";
import { planRelease } from "./release/plan.ts";
import { runCli } from "./shared/cli.ts";

const command = {
  usage: "npm run release:plan -- [--root <dir>] [--date YYYY-MM-DD]",
  options: { date: { type: "string" } },
  positionals: { min: 0, max: 0 },
} as const;

await runCli(command, async ({ values, layout }) => {
  const date = parseDate(values.date, command);
  const plan = await planRelease(layout, date === undefined ? {} : { date });
  if (plan.kind === "nothing") {
    console.log(`release:plan: ${formatNothing(plan)}`);
    return 0;
  }
  console.log(`release:plan: ${formatHeadline(plan)}`);
  console.log(`\nThe entry \`npm run release:apply\` would add to CHANGELOG.md:\n\n${plan.entry}`);
  return 0;
});
