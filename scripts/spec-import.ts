/**
 * npm run spec:import -- <page.md> [...] [--root <dir>]
 * Extracts the OpenAPI block of each docs page into <root>/spec/fragments/<operation>.yaml.
 * Page paths are relative to the folder the command runs in.
 */
import { importPages } from "./import/import-pages.ts";
import { runCli } from "./shared/cli.ts";

const command = {
  usage: "npm run spec:import -- <page.md> [more pages...] [--root <dir>]",
  options: {},
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
} as const;

await runCli(command, async ({ positionals, layout }) => {
  const results = await importPages(positionals, layout);
  for (const r of results) {
    const was = r.previous ? ` (was ${r.previous})` : "";
    console.log(`${r.outcome.padEnd(9)} ${r.fragment}  ${r.operation}${was}`);
  }
  if (results.some((r) => r.outcome !== "unchanged")) console.log("next: npm run generate");
  return undefined;
});
