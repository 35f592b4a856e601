import path from "node:path";
import { performance } from "node:perf_hooks";
import { BaseResolver, bundle, type Config, makeDocumentFromString } from "@redocly/openapi-core";
import { stringify } from "yaml";
import { applyOverlaysAndBundle } from "./apply-overlays.ts";
import { joinFragments } from "./join.ts";
import { failOnErrors, type LintFinding, lintInMemory, lintSource, loadLintConfig } from "./lint.ts";
import { isRecord, listOperations } from "./operations.ts";
import { PipelineError } from "./pipeline-error.ts";
import { displayPath, type ProjectLayout } from "./project.ts";
import { readSourceDir, type SourceFile } from "./source-file.ts";
import { typecheckInMemory } from "./typecheck.ts";
import { generateTypes } from "./typegen.ts";

export const BUNDLE_FILE = "devin-api.yaml";
export const SCHEMA_FILE = "schema.ts";
export const README_FILE = "README.md";
/** The entry of `apis` in redocly.yaml whose rules apply to the bundle. */
export const BUNDLE_API_ALIAS = "devin";

export interface PipelineInputs {
  layout: ProjectLayout;
  config: Config;
  fragments: SourceFile[];
  /** YAML files in spec/fragments/ without `openapi`: they must be referenced by a fragment. */
  parts: SourceFile[];
  overlays: SourceFile[];
}

export interface PipelineResult {
  /** File name in generated/ → exact content. */
  outputs: Map<string, string>;
  /** The bundled document, as parsed data. */
  bundle: Record<string, unknown>;
  warnings: LintFinding[];
  stats: { operations: number; schemas: number; fragments: number; overlays: number };
}

export async function loadInputs(layout: ProjectLayout): Promise<PipelineInputs> {
  const show = (file: string) => displayPath(layout, file);
  const config = await loadLintConfig(layout.redoclyConfig, show(layout.redoclyConfig));
  const files = await readSourceDir(layout.fragmentsDir, show);
  const overlays = await readSourceDir(layout.overlaysDir, show);
  // A top-level file that declares `openapi` is a fragment; any other YAML beside the fragments
  // is a part they $ref (a shared description, say), checked to be referenced after bundling.
  const fragments = files.filter((f) => isRecord(f.data) && "openapi" in f.data);
  const parts = files.filter((f) => !fragments.includes(f));
  return { layout, config, fragments, parts, overlays };
}

/**
 * lint fragments and overlays → join → apply overlays → bundle → lint the bundle →
 * openapi-typescript → type-check. Pure with respect to generated/: it only returns outputs.
 */
export async function buildOutputs(inputs: PipelineInputs, options: BuildOptions = {}): Promise<PipelineResult> {
  const { layout, config, fragments, parts, overlays } = inputs;
  const warnings: LintFinding[] = [];
  const stage = stageTimer(options.onStage);
  const sources = [...fragments, ...overlays];
  // One resolver for lint and bundle: each file a fragment $refs is read and parsed once.
  const resolver = new BaseResolver(config.resolve);
  const findings = (await Promise.all(sources.map((file) => lintSource(file, config, resolver)))).flat();
  warnings.push(...failOnErrors(findings, "lint of spec/"));
  stage("lint fragments and overlays");

  // External $refs resolve against the fragment's own file, so each is bundled before the join.
  const selfContained = await Promise.all(fragments.map((file) => bundleFragment(file, config, resolver)));
  const referenced = resolver.getFiles();
  const orphans = parts.filter((part) => !referenced.has(part.path));
  if (orphans.length > 0) {
    throw new PipelineError(
      "not a fragment (no top-level `openapi` key) and not referenced by any fragment",
      orphans.map((o) => ({ file: o.display, line: 1 })),
      "Add `openapi: 3.1.0` if it is a fragment (import docs pages with `npm run spec:import`), or delete it.",
    );
  }
  stage("bundle fragments");
  const { document, provenance } = joinFragments(selfContained);
  stage("join");
  const describe = (pointer: string) => {
    // The longest known prefix of the pointer names the fragment the node came from.
    for (let p = pointer; p.length > 1; p = p.slice(0, Math.max(1, p.lastIndexOf("/")))) {
      const file = provenance.get(p);
      if (file) return `${BUNDLE_FILE} (bundle; from ${file})`;
    }
    return `${BUNDLE_FILE} (bundle)`;
  };
  const virtualRef = path.join(layout.generatedDir, BUNDLE_FILE);
  const bundled = await applyOverlaysAndBundle(document, overlays, config, virtualRef, describe);
  stage("apply overlays and bundle");
  const bundle = bundled.parsed as Record<string, unknown>;
  // The bundle gets the rules of `apis.devin` in redocly.yaml on top of the root ones.
  const bundleConfig = config.forAlias(BUNDLE_API_ALIAS);
  warnings.push(
    ...failOnErrors(await lintInMemory(bundled, bundleConfig, describe), "lint of the bundle (after overlays)"),
  );
  stage("lint bundle");
  const schema = await generateTypes(bundle);
  stage("openapi-typescript");
  typecheckInMemory(new Map([[SCHEMA_FILE, schema]]), displayPath(layout, layout.generatedDir));
  stage("type-check");
  const yaml = serializeBundle(bundle, inputs);
  stage("serialize bundle");
  const outputs = new Map<string, string>([
    [BUNDLE_FILE, yaml],
    [README_FILE, GENERATED_README],
    [SCHEMA_FILE, schema],
  ]);

  const components = isRecord(bundle.components) ? bundle.components : {};
  return {
    outputs,
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

export interface BuildOptions {
  /** Called after each stage with its wall time, for `npm run generate -- --timings`. */
  onStage?: (stage: string, ms: number) => void;
}

function stageTimer(onStage: BuildOptions["onStage"]): (stage: string) => void {
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    onStage?.(name, now - last);
    last = now;
  };
}

async function bundleFragment(file: SourceFile, config: Config, resolver: BaseResolver): Promise<SourceFile> {
  const result = await bundle({
    doc: makeDocumentFromString(file.text, file.path),
    config,
    externalRefResolver: resolver,
  });
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new PipelineError(
      `bundling failed:\n    ${errors.map((p) => p.message).join("\n    ")}`,
      errors.map((p) => ({ file: file.display, pointer: p.location[0]?.pointer ?? "#/" })),
    );
  }
  return { ...file, data: result.bundle.parsed };
}

function serializeBundle(bundle: unknown, inputs: PipelineInputs): string {
  const show = (f: SourceFile) => `#   ${f.display}`;
  const header = [
    "# Generated by `npm run generate`. Do not edit: change spec/ and regenerate.",
    "# Fragments:",
    ...inputs.fragments.map(show).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    "# Overlays, applied in this order:",
    ...inputs.overlays.map(show),
  ].join("\n");
  // lineWidth 0: no folding, so a one-word edit changes one line of the diff, not a paragraph.
  return `${header}\n${stringify(bundle, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

const GENERATED_README = `# generated/

Written only by \`npm run generate\`; never edit these files by hand.

- \`devin-api.yaml\`: the bundled OpenAPI 3.1 description: every fragment of spec/fragments
  joined, the overlays of spec/overlays applied in order, linted with redocly.yaml.
- \`schema.ts\`: \`paths\`, \`components\` and \`operations\` types from openapi-typescript,
  type-checked before they are written.

\`npm run check\` regenerates in memory and fails when anything here differs.
`;
