/**
 * npm run release:apply [-- --root <dir>] [--date YYYY-MM-DD]
 * Does what release:plan prints: sets the version in package.json and package-lock.json and
 * adds the entry on top of CHANGELOG.md. Refuses when spec/ or generated/ has uncommitted
 * changes or generated/ does not match spec/. Commits, tags and pushes nothing: it prints how.
 */
import { applyRelease } from "./release/apply.ts";
import { formatHeadline, formatNothing, parseDate } from "./release/cli-output.ts";
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
  const v = plan.version;
  console.log(`release:apply: ${formatHeadline(plan)}`);
  const version = plan.current === v ? `${v} (as it was)` : `${plan.current} → ${v}`;
  console.log(`wrote ${written.join(", ")}: version ${version}, and the ${v} entry on top of CHANGELOG.md`);
  console.log(
    [
      "",
      "Next:",
      `  git add ${written.join(" ")}`,
      `  git commit -m "Release ${v}"`,
      `  git tag v${v}`,
      `  git push origin HEAD v${v}     # the tag starts .github/workflows/release.yml, which publishes to npm`,
    ].join("\n"),
  );
  return 0;
});
