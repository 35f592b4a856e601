/**
 * Section 4: iterating 100,000 keys at first=200 with the wrapper's `paginate` against a
 * hand-written fetch loop: wall time, and peak heap growth while iterating (10k vs 100k keys
 * shows whether memory grows with the item count).
 */
import path from "node:path";
import { measure } from "../lib/measure.ts";
import { REPO, tsxNode } from "../lib/paths.ts";
import { checkTarget, type Row, type SectionResult } from "../lib/results.ts";
import { compare } from "../lib/rows.ts";
import { startSandboxProcess } from "../lib/sandbox-process.ts";
import type { BenchOptions, Section } from "../lib/section.ts";
import { median, round } from "../lib/stats.ts";

const NAME = "paginate";
const TARGET_RATIO = 1.05;
/** "Independent of item count": 10× the items may not take more than this factor of heap growth. */
const HEAP_GROWTH_FACTOR = 2;
const USERS = { "service-user-bench-10k": 10_000, "service-user-bench-100k": 100_000 };

export const paginateSection: Section = {
  name: NAME,
  title: "Pagination: 100,000 keys at first=200",
  async run(options: BenchOptions): Promise<SectionResult> {
    const sandbox = await startSandboxProcess(USERS);
    try {
      const rounds = options.quick ? 1 : 3;
      options.log(`paginate: ${rounds} rounds`);
      const [node, ...rest] = tsxNode(
        path.join(REPO, "bench/children/paginate-load.ts"),
        JSON.stringify({ url: sandbox.url, token: sandbox.token, users: USERS, first: 200, rounds }),
      );
      const { stdout } = await measure({
        label: "paginate-load",
        argv: [node as string, "--expose-gc", ...rest],
        cwd: REPO,
      });
      const { runs } = JSON.parse(stdout) as {
        runs: { variant: string; user: string; count: number; ms: number; heapGrowthMb: number }[];
      };
      const row = (variant: string, count: number): Row => {
        const mine = runs.filter((r) => r.variant === variant && r.count === count);
        return {
          section: NAME,
          label: `${variant}, ${count.toLocaleString("en")} keys`,
          median: round(median(mine.map((r) => r.ms)), 1),
          unit: "ms",
          samples: mine.map((r) => round(r.ms, 1)),
          extra: { heapGrowthMb: round(median(mine.map((r) => r.heapGrowthMb)), 2) },
        };
      };
      const loop100k = row("fetch loop", 100_000);
      const paginate100k = compare(row("paginate", 100_000), loop100k);
      const loop10k = row("fetch loop", 10_000);
      const paginate10k = compare(row("paginate", 10_000), loop10k);
      const growth = (paginate100k.extra?.heapGrowthMb as number) / (paginate10k.extra?.heapGrowthMb as number);
      return {
        rows: [loop100k, paginate100k, loop10k, paginate10k],
        targets: [
          checkTarget(
            NAME,
            "100k keys: paginate ≤ 1.05× the fetch loop",
            paginate100k.ratio ?? Number.NaN,
            TARGET_RATIO,
            "×",
          ),
          checkTarget(
            NAME,
            `paginate heap growth 100k / 10k keys ≤ ${HEAP_GROWTH_FACTOR}× (linear would be 10×)`,
            round(growth, 2),
            HEAP_GROWTH_FACTOR,
            "×",
          ),
        ],
        notes: [
          "Heap growth = peak process.memoryUsage().heapUsed, sampled once per page, minus heapUsed after a forced GC before the run; items are counted, never kept.",
          "The sandbox (separate process) filters and slices 100k keys per page; that cost is the same for both variants.",
        ],
      };
    } finally {
      await sandbox.stop();
    }
  },
};
