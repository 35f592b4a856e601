import { type Config, loadConfig } from "@redocly/openapi-core";
import { toLf } from "../shared/line-endings.ts";
import { isRecord } from "../shared/openapi.ts";
import { PipelineError } from "../shared/pipeline-error.ts";
import { displayPath, type ProjectLayout } from "../shared/project.ts";
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
  const files = (await readSourceDir(layout.fragmentsDir, show)).map(withLf);
  const overlays = (await readSourceDir(layout.overlaysDir, show)).map(withLf);
  // A top-level file that declares `openapi` is a fragment; any other YAML beside the fragments
  // is a part they $ref (a shared description, say), checked to be referenced after bundling.
  const fragments = files.filter((f) => isRecord(f.data) && "openapi" in f.data);
  const parts = files.filter((f) => !fragments.includes(f));
  return { layout, config, fragments, parts, overlays };
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
