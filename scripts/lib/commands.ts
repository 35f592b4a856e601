import { type Drift, findDrift } from "./drift.ts";
import { readGeneratedDir, replaceGeneratedDir } from "./generated-dir.ts";
import { buildOutputs, loadInputs, type PipelineResult } from "./pipeline.ts";
import type { ProjectLayout } from "./project.ts";
import { displayPath } from "./project.ts";

/** Builds everything in memory, then swaps generated/ in one step: a failure writes nothing. */
export async function generate(layout: ProjectLayout): Promise<PipelineResult> {
  const result = await buildOutputs(await loadInputs(layout));
  await replaceGeneratedDir(layout.generatedDir, result.outputs);
  return result;
}

/** The drift gate: what generated/ would have to change to match spec/ (empty when it matches). */
export async function check(layout: ProjectLayout): Promise<{ result: PipelineResult; drift: Drift[] }> {
  const result = await buildOutputs(await loadInputs(layout));
  const actual = await readGeneratedDir(layout.generatedDir);
  return { result, drift: findDrift(result.outputs, actual, displayPath(layout, layout.generatedDir)) };
}
