/**
 * npm run bench [-- --quick] [--only pipeline,scale,client,paginate,size] [--baseline <git-ref>]
 * Measures the project against the alternatives; not part of `npm test` (timings are never
 * assertions). Prints a table to stdout, progress to stderr, and writes bench/results.json.
 */
import path from "node:path";
import { benchArgs } from "./lib/args.ts";
import { machineInfo, machineLine } from "./lib/machine.ts";
import { REPO } from "./lib/paths.ts";
import { formatTable, writeResults } from "./lib/report.ts";
import type { SectionResult } from "./lib/results.ts";
import type { Section } from "./lib/section.ts";
import { clientSection } from "./sections/client.ts";
import { paginateSection } from "./sections/paginate.ts";
import { pipelineSection } from "./sections/pipeline.ts";
import { scaleSection } from "./sections/scale.ts";
import { sizeSection } from "./sections/size.ts";

const SECTIONS: Section[] = [pipelineSection, scaleSection, clientSection, paginateSection, sizeSection];

const args = benchArgs(
  process.argv.slice(2),
  SECTIONS.map((s) => s.name),
  path.join(REPO, "bench", "results.json"),
);
const machine = machineLine();
const started = performance.now();
const results = new Map<string, SectionResult & { title: string }>();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
for (const section of SECTIONS) {
  if (args.only && !args.only.includes(section.name)) continue;
  log(`== ${section.name}: ${section.title}`);
  // One broken section must not cost the numbers of the others; its error is reported instead.
  const result = await section.run({ quick: args.quick, log, baselineRef: args.baselineRef }).catch((error: Error) => {
    log(`${section.name} failed: ${error.message}`);
    return { rows: [], targets: [], notes: [`FAILED: ${error.message.split("\n").slice(0, 3).join(" ")}`] };
  });
  results.set(section.name, { title: section.title, ...result });
}
const table = formatTable(`${machine} · ${args.quick ? "quick" : "full"} run`, results);
console.log(table);
console.log(
  `\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${path.relative(process.cwd(), args.out)}`,
);
await writeResults(args.out, {
  machine: { ...machineInfo(), quick: args.quick, totalSeconds: Math.round((performance.now() - started) / 1000) },
  args: process.argv.slice(2),
  sections: Object.fromEntries(results),
});
