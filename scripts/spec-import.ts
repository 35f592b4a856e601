/**
 * npm run spec:import -- <page.md> [...]
 * Extracts the OpenAPI block of each docs page into spec/fragments/<operation>.yaml.
 */
import path from "node:path";
import { importPages } from "./lib/import-pages.ts";
import { runCli } from "./lib/run-cli.ts";

await runCli(async (args) => {
  const pages = args.filter((a) => !a.startsWith("--"));
  if (pages.length === 0) throw new Error("usage: npm run spec:import -- <page.md> [more pages...]");
  const results = await importPages(pages, path.resolve("spec/fragments"));
  for (const r of results) {
    const was = r.previous ? ` (was ${r.previous})` : "";
    console.log(`${r.outcome.padEnd(9)} ${r.fragment}  ${r.operation}${was}`);
  }
  if (results.some((r) => r.outcome !== "unchanged")) console.log("next: npm run generate");
  return undefined;
});
