/**
 * Section 1: `npm run generate` on our spec against the chain of CLIs a user would script
 * for the same result, each a separate process: redocly lint (fragments + overlays) →
 * redocly join → redocly bundle --overlay ×N → redocly lint (the bundle, as ours does) →
 * openapi-typescript → tsc --noEmit. Plus `npm run check`, and `redocly generate-client`
 * on the same bundle as a reference row (a different kind of output: a whole client).
 */
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { alternate } from "../lib/alternate.ts";
import { type Command, type Measured, measure } from "../lib/measure.ts";
import { BIN, REPO, tsxNode } from "../lib/paths.ts";
import { checkTarget, type SectionResult } from "../lib/results.ts";
import { compare, timeRow } from "../lib/rows.ts";
import type { BenchOptions, Section } from "../lib/section.ts";
import { median, round } from "../lib/stats.ts";
import { copyOfProject } from "../lib/temp-root.ts";

const NAME = "pipeline";
const TARGET_RATIO = 0.5;

/** The same strictness scripts/build/typecheck.ts uses, as tsc flags. */
const TSC_FLAGS = [
  "--noEmit",
  "--strict",
  "--noUncheckedIndexedAccess",
  "--exactOptionalPropertyTypes",
  "--skipLibCheck",
  "--target",
  "ES2022",
  "--module",
  "ESNext",
  "--lib",
  "es2022",
];

export const pipelineSection: Section = {
  name: NAME,
  title: "Pipeline on our spec",
  async run(options: BenchOptions): Promise<SectionResult> {
    const project = await copyOfProject();
    try {
      const { root } = project;
      await mkdir(path.join(root, "chain"));
      const fragments = (await readdir(project.fragmentsDir)).sort().map((f) => `spec/fragments/${f}`);
      const overlays = (await readdir(project.overlaysDir)).sort().map((f) => `spec/overlays/${f}`);
      const redocly = (...args: string[]) => [process.execPath, BIN.redocly, ...args];
      const chain: Command[] = [
        { label: "redocly lint", argv: redocly("lint", ...fragments, ...overlays) },
        // Tags are declared by both fragments; join refuses that unless told not to group them.
        {
          label: "redocly join",
          argv: redocly("join", ...fragments, "--without-x-tag-groups", "-o", "chain/joined.yaml"),
        },
        {
          label: "redocly bundle",
          argv: redocly(
            "bundle",
            "chain/joined.yaml",
            ...overlays.flatMap((o) => ["--overlay", o]),
            "-o",
            "chain/bundled.yaml",
          ),
        },
        { label: "redocly lint (bundle)", argv: redocly("lint", "chain/bundled.yaml") },
        {
          label: "openapi-typescript",
          argv: [process.execPath, BIN.openapiTypescript, "bundled.yaml", "-o", "schema.ts"],
          // In chain/: from the root it would read redocly.yaml's `apis` and want per-API outputs.
          cwd: path.join(root, "chain"),
        },
        { label: "tsc --noEmit", argv: [process.execPath, BIN.tsc, ...TSC_FLAGS, "chain/schema.ts"] },
      ].map((c) => ({ cwd: root, ...c }));
      const steps = new Map<string, number[]>(chain.map((c) => [c.label, []]));
      const runChain = async (): Promise<Measured> => {
        let ms = 0;
        let maxRss = 0;
        for (const command of chain) {
          const m = await measure(command);
          steps.get(command.label)?.push(m.ms);
          ms += m.ms;
          maxRss = Math.max(maxRss, m.maxRssMb ?? 0);
        }
        return { ms, maxRssMb: maxRss || undefined, stdout: "" };
      };
      const generate: Command = {
        label: "generate",
        argv: tsxNode(path.join(REPO, "scripts/generate.ts"), "--root", root),
        cwd: root,
      };
      const check: Command = {
        label: "check",
        argv: tsxNode(path.join(REPO, "scripts/check.ts"), "--root", root),
        cwd: root,
      };
      const generateClient: Command = {
        label: "redocly generate-client",
        argv: redocly("generate-client", "generated/devin-api.yaml", "-o", "chain/redocly-client.ts"),
        cwd: root,
      };

      // Warm-up, discarded: fills the file cache and makes generated/ current for `check`.
      options.log("pipeline: warm-up");
      await measure(generate);
      await runChain();
      for (const s of steps.values()) s.length = 0;

      const rounds = options.quick ? 2 : 5;
      const samples = await alternate(
        [
          { name: "generate", run: () => measure(generate) },
          { name: "chain", run: runChain },
          { name: "check", run: () => measure(check) },
          { name: "generate-client", run: () => measure(generateClient) },
        ],
        rounds,
        (v, r, s) => options.log(`pipeline: round ${r + 1}/${rounds} ${v} ${s.ms.toFixed(0)} ms`),
      );
      const get = (name: string) => samples.get(name) ?? [];
      const chainRow = timeRow(NAME, "CLI chain (6 processes)", get("chain"));
      chainRow.extra = {
        ...chainRow.extra,
        ...Object.fromEntries([...steps].map(([label, ms]) => [`${label} ms`, round(median(ms), 1)])),
      };
      const generateRow = compare(timeRow(NAME, "npm run generate (ours)", get("generate")), chainRow);
      const checkRow = compare(timeRow(NAME, "npm run check (ours)", get("check")), chainRow);
      const clientRow = compare(
        timeRow(
          NAME,
          "redocly generate-client (reference)",
          get("generate-client"),
          "on the same bundle; emits a whole client, not types",
        ),
        chainRow,
      );
      return {
        rows: [chainRow, generateRow, checkRow, clientRow],
        targets: [
          checkTarget(NAME, "generate ≤ 0.5× the CLI chain", generateRow.ratio ?? Number.NaN, TARGET_RATIO, "×"),
        ],
        notes: [
          "Chain = redocly lint (fragments+overlays) → join --without-x-tag-groups → bundle --overlay ×N → lint (bundle) → openapi-typescript → tsc --noEmit; its per-step medians are in results.json.",
          "Redocly CLI 2.x applies overlays in `bundle --overlay` (used here), but silently skips targets that match nothing; ours fails on them. Its join also differs in detail (moves root security, adds x-displayName), so the outputs are equivalent, not identical.",
          "Every process is started with node directly (no npm/npx start-up) on a temp copy of spec/, redocly.yaml and generated/.",
        ],
      };
    } finally {
      await project.cleanup();
    }
  },
};
