import { readdir } from "node:fs/promises";
import path from "node:path";
import { type Config, loadConfig } from "@redocly/openapi-core";
import { toLf } from "../shared/line-endings.ts";
import { isRecord } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
import { byCodePoint } from "../shared/sort.ts";
import { parseSourceFile, readSourceDir, type SourceFile } from "../shared/source-file.ts";

/** Stage 1: everything the pipeline reads, parsed: redocly.yaml, spec/fragments, spec/overlays. */
export interface PipelineInputs {
  layout: ProjectLayout;
  config: Config;
  fragments: SourceFile[];
  /** YAML files in spec/fragments/ without `openapi`: they must be referenced by a fragment. */
  parts: SourceFile[];
  /** In file-name order, the order they are applied in. */
  overlays: SourceFile[];
}

export async function loadInputs(layout: ProjectLayout): Promise<PipelineInputs> {
  const show = (file: string) => displayPath(layout, file);
  const config = await loadLintConfig(layout.redoclyConfig, show(layout.redoclyConfig));
  await refuseSubfolders(layout.fragmentsDir, show, FRAGMENTS_HINT);
  await refuseSubfolders(layout.overlaysDir, show, OVERLAYS_HINT);
  const files = (await readSourceDir(layout.fragmentsDir, show)).map(withLf);
  const overlays = (await readSourceDir(layout.overlaysDir, show)).map(withLf);
  // A top-level file that declares `openapi` is a fragment; any other YAML beside the fragments
  // is a part they $ref (a shared description, say), checked to be referenced after bundling.
  const fragments = files.filter((f) => isRecord(f.data) && "openapi" in f.data);
  const parts = files.filter((f) => !fragments.includes(f));
  return { layout, config, fragments, parts, overlays };
}

const FRAGMENTS_HINT =
  "Move it up into spec/fragments/ (only the folder's own *.yaml files are read: fragments, and parts they " +
  "`$ref` as `./<name>.yaml`), or delete it.";
const OVERLAYS_HINT =
  "Move it up into spec/overlays/ (only the folder's own *.yaml files are applied, in file-name order), or delete it.";

/**
 * The pipeline reads the YAML of spec/fragments/ and spec/overlays/ themselves, not of their
 * subfolders. A file put in one (a fragment filed by topic, say) would be left out without a
 * word and its operation missing from generated/: an error instead, naming every such file.
 */
async function refuseSubfolders(dir: string, show: (file: string) => string, hint: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const nested = entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && path.resolve(e.parentPath) !== path.resolve(dir))
    .map((e) => show(path.join(e.parentPath, e.name)))
    .sort(byCodePoint);
  if (nested.length === 0) return;
  const folder = show(dir);
  throw new PipelineError(
    `${nested.length === 1 ? "a YAML file sits" : `${nested.length} YAML files sit`} in a subfolder of ${folder}/, which is not read`,
    nested.map((file) => ({ file })),
    hint,
  );
}

/**
 * A file with CRLF line endings (a checkout made with git's `core.autocrlf=true`), parsed again
 * from its text with LF: its `text` is the body Redocly lints and bundles, and what the pipeline
 * builds must not depend on how git checked spec/ out. Lines and columns stay the same.
 * redocly.yaml and the parts a fragment `$ref`s are read by Redocly's resolver, which does the
 * same replacement.
 */
function withLf(file: SourceFile): SourceFile {
  const text = toLf(file.text);
  return text === file.text ? file : parseSourceFile(file.path, file.display, text);
}

async function loadLintConfig(configPath: string, display: string): Promise<Config> {
  try {
    return await loadConfig({ configPath });
  } catch (error) {
    throw new PipelineError(
      `cannot load the lint configuration: ${(error as Error).message}`,
      { file: display },
      "Fix redocly.yaml (and the plugin it loads, scripts/redocly/devin-plugin.js).",
    );
  }
}
