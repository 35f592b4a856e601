import { readdir, readFile } from "node:fs/promises";
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
  /**
   * YAML files in subfolders of spec/fragments/, by absolute path, not read here: parts that
   * fragments `$ref` (read by Redocly when referenced), or a fragment filed in a subfolder by
   * mistake, which stage 3 refuses.
   */
  nested: string[];
}

export async function loadInputs(layout: ProjectLayout): Promise<PipelineInputs> {
  const show = (file: string) => displayPath(layout, file);
  const config = await loadLintConfig(layout.redoclyConfig, show(layout.redoclyConfig));
  const nested = await nestedYaml(layout.fragmentsDir);
  await refuseNested(await nestedYaml(layout.overlaysDir), "overlay", show);
  const files = (await readSourceDir(layout.fragmentsDir, show)).map(withLf);
  const overlays = (await readSourceDir(layout.overlaysDir, show)).map(withLf);
  // A top-level file that declares `openapi` is a fragment; any other YAML beside the fragments
  // is a part they $ref (a shared description, say), checked to be referenced after bundling.
  const fragments = files.filter((f) => isRecord(f.data) && "openapi" in f.data);
  const parts = files.filter((f) => !fragments.includes(f));
  return { layout, config, fragments, parts, overlays, nested };
}

const HINTS = {
  openapi:
    "Move it up into spec/fragments/ (only the folder's own *.yaml files are read as fragments; a subfolder " +
    "holds parts that fragments `$ref`), or delete it.",
  overlay:
    "Move it up into spec/overlays/ (only the folder's own *.yaml files are applied, in file-name order), or delete it.",
} as const;

/** YAML files in the subfolders of `dir` (not in `dir` itself), by absolute path; none when it does not exist. */
async function nestedYaml(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && path.resolve(e.parentPath) !== path.resolve(dir))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * The pipeline reads the fragments of spec/fragments/ and the overlays of spec/overlays/
 * themselves, not those of their subfolders. A fragment or overlay put in one (filed by topic,
 * say) would be left out without a word, its operation missing from generated/: an error
 * instead, naming every such file. Other YAML in a subfolder is a part that fragments `$ref` (a
 * multi-file spec keeps its shared schemas and responses in folders). Only `files` are read, so
 * stage 3 passes just the nested files no fragment referenced: at scale (DigitalOcean: 2,032
 * parts in folders) reading them all again would cost ~0.2 s.
 */
export async function refuseNested(
  files: readonly string[],
  key: keyof typeof HINTS,
  show: (file: string) => string,
): Promise<void> {
  const declares = new RegExp(`^${key}\\s*:`, "m");
  const found: string[] = [];
  for (const file of files) {
    if (declares.test(toLf(await readFile(file, "utf8")))) found.push(show(file));
  }
  if (found.length === 0) return;
  found.sort(byCodePoint);
  const folder = key === "openapi" ? "spec/fragments" : "spec/overlays";
  const kind = key === "openapi" ? "fragment" : "overlay";
  throw new PipelineError(
    `${found.length === 1 ? `${kind === "overlay" ? "an" : "a"} ${kind} sits` : `${found.length} ${kind}s sit`} in a subfolder of ${folder}/, which is not read`,
    found.map((file) => ({ file })),
    HINTS[key],
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
