import { performance } from "node:perf_hooks";
import { type BundleChanges, committedBundle, rateChangesIfAny } from "../gate/bundle-changes.ts";
import { isRecord, listOperations } from "../shared/openapi.ts";
import { displayPath, type ProjectLayout, specDirOf } from "../shared/project.ts";
import { checkRefsStayInSpec } from "../shared/untrusted-input.ts";
import { applyOverlays } from "./apply-overlays.ts";
import { bundleDocument } from "./bundle.ts";
import { bundleFragments } from "./bundle-fragments.ts";
import { joinFragments } from "./join.ts";
import { lintBundle } from "./lint-bundle.ts";
import { lintSources } from "./lint-sources.ts";
import { loadInputs, type PipelineInputs } from "./load-inputs.ts";
import { OPERATIONS_FILE, operationIndexSource } from "./operation-index.ts";
import type { LintFinding } from "./problems.ts";
import { type Outputs, serializeOutputs } from "./serialize.ts";
import { SpecResolver } from "./spec-resolver.ts";
import { typecheckInMemory } from "./typecheck.ts";
import { generateTypes, SCHEMA_FILE } from "./typegen.ts";
import { replaceGeneratedDir } from "./write.ts";

export interface PipelineResult extends Outputs {
  /** The bundled document, as parsed data. */
  bundle: Record<string, unknown>;
  warnings: LintFinding[];
  stats: { operations: number; schemas: number; fragments: number; overlays: number };
}

export interface BuildOptions {
  /** Called after each stage with its wall time, for `npm run generate -- --timings`. */
  onStage?: (stage: string, ms: number) => void;
}

/** Stages 1-11: reads the project and builds every output in memory. Writes nothing. */
export async function build(layout: ProjectLayout, options: BuildOptions = {}): Promise<PipelineResult> {
  const stage = stageTimer(options.onStage);
  const inputs = await loadInputs(layout);
  stage("load inputs");
  return buildOutputs(inputs, options);
}

/**
 * Stages 2-11, in the order of scripts/README.md: lint sources → bundle fragments → join →
 * apply overlays → bundle → lint bundle → openapi-typescript → operation index → type-check →
 * serialize. Pure with respect to generated/: it only returns outputs.
 */
export async function buildOutputs(inputs: PipelineInputs, options: BuildOptions = {}): Promise<PipelineResult> {
  const { layout, config, fragments, parts, overlays, nested } = inputs;
  const stage = stageTimer(options.onStage);
  const warnings: LintFinding[] = [];
  // Before Redocly reads anything (part of stage 2): no `$ref` may leave spec/, which holds
  // docs pages, untrusted input. Every resolver below also refuses to read outside spec/.
  checkRefsStayInSpec([...fragments, ...parts, ...overlays], specDirOf(layout));
  // One resolver for lint and bundle: each file a fragment $refs is read and parsed once.
  const resolver = new SpecResolver(layout, config.resolve);
  warnings.push(...(await lintSources([...fragments, ...overlays], config, resolver)));
  stage("lint fragments and overlays");
  const selfContained = await bundleFragments(fragments, parts, config, resolver, { nested, root: layout.root });
  stage("bundle fragments");
  const { document, provenance } = joinFragments(selfContained);
  stage("join");
  const overlaid = await applyOverlays(document, overlays, config, layout, provenance);
  stage("apply overlays");
  const bundled = bundleDocument(overlaid, layout.bundleFile, provenance);
  const bundle = bundled.parsed as Record<string, unknown>;
  stage("bundle");
  warnings.push(...(await lintBundle(bundled, config, layout, provenance)));
  stage("lint bundle");
  const schema = await generateTypes(bundle);
  stage("openapi-typescript");
  const operations = operationIndexSource(bundle);
  stage("operation index");
  typecheckInMemory(
    new Map([
      [SCHEMA_FILE, schema],
      [OPERATIONS_FILE, operations],
    ]),
    displayPath(layout, layout.generatedDir),
  );
  stage("type-check");
  const outputs = serializeOutputs(bundle, inputs, { schema, operations });
  stage("serialize");

  const components = isRecord(bundle.components) ? bundle.components : {};
  return {
    ...outputs,
    bundle,
    warnings,
    stats: {
      operations: listOperations(bundle).length,
      schemas: Object.keys(isRecord(components.schemas) ? components.schemas : {}).length,
      fragments: fragments.length,
      overlays: overlays.length,
    },
  };
}

/**
 * `npm run generate`: builds everything in memory, then swaps generated/ in one step (stage
 * 12), so a failure writes nothing. When the bundle changed, `changes` rates what changed
 * against the committed bundle (git HEAD; without a repository, the bundle generated/ held
 * before this run).
 */
export async function generate(
  layout: ProjectLayout,
  options: BuildOptions = {},
): Promise<PipelineResult & { changes?: BundleChanges }> {
  const result = await build(layout, options);
  const changes = await rateChangesIfAny(await committedBundle(layout), result.bundleText);
  const stage = stageTimer(options.onStage);
  await replaceGeneratedDir(layout.generatedDir, result.files, { root: layout.root });
  stage("write");
  return changes ? { ...result, changes } : result;
}

function stageTimer(onStage: BuildOptions["onStage"]): (stage: string) => void {
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    onStage?.(name, now - last);
    last = now;
  };
}
