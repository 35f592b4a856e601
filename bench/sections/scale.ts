/**
 * Section 2: the pipeline at scale. DigitalOcean's multi-file spec (~2,000 files) through our
 * pipeline (lint + bundle + generate + type-check) against bare `openapi-typescript` on the
 * same root file; then a growth series of N synthetic per-endpoint fragments.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { alternate, type Variant } from "../lib/alternate.ts";
import { type Measured, measure } from "../lib/measure.ts";
import { BIN, DO_SPEC_DIR, REPO, tsxNode } from "../lib/paths.ts";
import { checkTarget, type Row, type SectionResult } from "../lib/results.ts";
import { compare, timeRow } from "../lib/rows.ts";
import type { BenchOptions, Section } from "../lib/section.ts";
import { round } from "../lib/stats.ts";
import { writeSyntheticFragments } from "../lib/synthetic-fragments.ts";
import { tempRoot, writeGenericConfig } from "../lib/temp-root.ts";

const NAME = "scale";
const TARGET_RATIO = 1.2;
const ROOT_FILE = "DigitalOcean-public.v2.yaml";

export const scaleSection: Section = {
  name: NAME,
  title: "Pipeline at scale (DigitalOcean) and growth",
  async run(options: BenchOptions): Promise<SectionResult> {
    const spec = await tempRoot("digitalocean");
    const baseline = options.baselineRef ? await scriptsAt(options.baselineRef) : undefined;
    try {
      // spec/fragments/ is a copy of the whole folder: the root file is the one fragment, and
      // description.yml beside it is a part it $refs; resources/ and shared/ come along.
      await cp(DO_SPEC_DIR, spec.fragmentsDir, { recursive: true });
      await writeGenericConfig(spec);
      const ours = (scripts: string) => () =>
        measure({
          label: "generate",
          argv: tsxNode(path.join(scripts, "generate.ts"), "--root", spec.root),
          cwd: spec.root,
        });
      const bare = () =>
        measure({
          label: "openapi-typescript",
          argv: [process.execPath, BIN.openapiTypescript, ROOT_FILE, "-o", path.join(spec.root, "bare-schema.ts")],
          cwd: spec.fragmentsDir,
        });
      options.log("scale: warm-up (file cache)");
      await bare();
      const variants: Variant<Measured>[] = [
        { name: "ours", run: ours(path.join(REPO, "scripts")) },
        { name: "bare", run: bare },
        ...(baseline ? [{ name: "baseline", run: ours(baseline.scripts) }] : []),
      ];
      const rounds = options.quick ? 1 : 3;
      const samples = await alternate(variants, rounds, (v, r, s) =>
        options.log(`scale: round ${r + 1}/${rounds} ${v} ${s.ms.toFixed(0)} ms`),
      );
      const bareRow = timeRow(NAME, "openapi-typescript DigitalOcean (bare)", samples.get("bare") ?? []);
      const oursRow = compare(
        timeRow(NAME, "ours: lint+bundle+generate+typecheck", samples.get("ours") ?? []),
        bareRow,
      );
      const rows: Row[] = [bareRow, oursRow];
      if (baseline) {
        rows.push(
          compare(
            timeRow(NAME, `ours at ${options.baselineRef}`, samples.get("baseline") ?? [], "scripts/ of that ref"),
            bareRow,
          ),
        );
      }
      rows.push(...(await growth(options)));
      return {
        rows,
        targets: [
          checkTarget(
            NAME,
            "DigitalOcean: ours ≤ 1.2× bare openapi-typescript",
            oursRow.ratio ?? Number.NaN,
            TARGET_RATIO,
            "×",
          ),
        ],
        notes: [
          "Lint config for DigitalOcean and the growth series: redocly.yaml's `extends: recommended`, its two rules turned off (no-empty-servers, info-license) and the bundle-lint settings of `apis.devin`; not the devin plugin's prose rules, which are Devin-specific.",
          "Growth: N synthetic per-endpoint fragments (our list fragment with its own path and operationId each, identical shared components), no overlays; maxRssMb is the peak of the whole process (/usr/bin/time).",
        ],
      };
    } finally {
      await spec.cleanup();
      await baseline?.cleanup();
    }
  },
};

async function growth(options: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const count of [10, 100, 1000]) {
    const project = await tempRoot(`growth-${count}`);
    try {
      await writeGenericConfig(project);
      await writeSyntheticFragments(project.fragmentsDir, count);
      const runs = options.quick || count >= 1000 ? 1 : 2;
      const samples: Measured[] = [];
      for (let i = 0; i < runs; i++) {
        const m = await measure({
          label: `generate N=${count}`,
          argv: tsxNode(path.join(REPO, "scripts/generate.ts"), "--root", project.root),
          cwd: project.root,
        });
        options.log(`scale: growth N=${count} ${m.ms.toFixed(0)} ms, ${m.maxRssMb?.toFixed(0)} MB`);
        samples.push(m);
      }
      const row = timeRow(NAME, `growth: generate, N=${count} fragments`, samples);
      row.extra = { ...row.extra, msPerFragment: round(row.median / count, 1) };
      rows.push(row);
    } finally {
      await project.cleanup();
    }
  }
  return rows;
}

/** scripts/ as committed at `ref`, runnable: extracted with git archive, node_modules linked. */
async function scriptsAt(ref: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-baseline-"));
  // package.json too: its "type": "module" is what makes tsx load scripts/*.ts as ES modules;
  // and src/, from which scripts/build/operation-index.ts takes the client's entry shape
  // (`git archive` of a ref without src/core still works: the path list only filters).
  const archive = execFileSync("git", ["archive", ref, "scripts", "src", "package.json"], {
    cwd: REPO,
    maxBuffer: 1 << 28,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  return { scripts: path.join(dir, "scripts"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
