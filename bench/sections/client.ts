/**
 * Section 3: per-call overhead of the wrapper over loopback HTTP against the sandbox (in its
 * own process): createDevinClient vs raw openapi-fetch vs raw fetch, plus the client
 * `redocly generate-client` emits, 5,000 calls sequentially and at concurrency 50.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { measure } from "../lib/measure.ts";
import { REPO, tsxNode } from "../lib/paths.ts";
import { emitRedoclyClient } from "../lib/redocly-client.ts";
import { checkTarget, type Row, type SectionResult, type TargetResult } from "../lib/results.ts";
import { compare } from "../lib/rows.ts";
import { startSandboxProcess } from "../lib/sandbox-process.ts";
import type { BenchOptions, Section } from "../lib/section.ts";
import { median, round } from "../lib/stats.ts";

const NAME = "client";
const TARGET_RATIO = 1.05;

export const clientSection: Section = {
  name: NAME,
  title: "Client overhead on loopback",
  async run(options: BenchOptions): Promise<SectionResult> {
    const scratch = await mkdtemp(path.join(tmpdir(), "bench-client-"));
    const sandbox = await startSandboxProcess();
    try {
      const redoclyClient = path.join(scratch, "redocly-client.ts");
      await emitRedoclyClient(redoclyClient);
      const calls = options.quick ? 2000 : 5000;
      const rounds = options.quick ? 2 : 5;
      const rows: Row[] = [];
      const targets: TargetResult[] = [];
      const notes: string[] = [];
      for (const concurrency of [1, 50]) {
        const mode = concurrency === 1 ? "sequential" : `concurrency ${concurrency}`;
        options.log(`client: ${calls} calls, ${mode}, ${rounds} rounds`);
        const { stdout } = await measure({
          label: "client-load",
          argv: tsxNode(
            path.join(REPO, "bench/children/client-load.ts"),
            JSON.stringify({ url: sandbox.url, token: sandbox.token, calls, concurrency, rounds, redoclyClient }),
          ),
          cwd: REPO,
        });
        const { samples, skipped } = JSON.parse(stdout) as {
          samples: Record<string, number[]>;
          skipped: Record<string, string>;
        };
        const row = (variant: string, label: string): Row => {
          const ms = samples[variant] ?? [];
          const m = median(ms);
          return {
            section: NAME,
            label: `${mode}: ${label}`,
            median: round(m, 1),
            unit: "ms",
            samples: ms.map((s) => round(s, 1)),
            extra: { µsPerCall: round((m * 1000) / calls, 1), calls },
          };
        };
        const base = row("openapi-fetch", "raw openapi-fetch");
        const wrapper = compare(row("wrapper", "createDevinClient (ours)"), base);
        rows.push(base, wrapper, compare(row("fetch", "raw fetch"), base));
        if (samples["redocly generate-client"]) {
          rows.push(compare(row("redocly generate-client", "redocly generate-client (reference)"), base));
        }
        for (const [variant, reason] of Object.entries(skipped)) notes.push(`${variant} (${mode}) not run: ${reason}`);
        targets.push(
          checkTarget(
            NAME,
            `${mode}: wrapper ≤ 1.05× raw openapi-fetch`,
            wrapper.ratio ?? Number.NaN,
            TARGET_RATIO,
            "×",
          ),
        );
      }
      notes.push(
        "Each call: GET list (first=2) for a seeded service user, body parsed. Server and client run in separate processes; the client process alternates variants round by round after one warm-up round.",
        "Loopback time includes the sandbox's own work, which is the same for every variant: the ratios understate a client's relative cost and are what a caller sees.",
      );
      return { rows, targets, notes };
    } finally {
      await sandbox.stop();
      await rm(scratch, { recursive: true, force: true });
    }
  },
};
