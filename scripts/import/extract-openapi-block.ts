import { PipelineError } from "../shared/pipeline-error.ts";

/** The OpenAPI fragment a docs page embeds, with where it sits in the page. */
export interface OpenApiBlock {
  /** The block's text exactly as published (line endings normalised to LF). */
  text: string;
  /** The fence's info string after the language, e.g. `de/v3-openapi.yaml DELETE /v3beta1/...`. */
  info: string;
  /** 1-based line of the first line of YAML inside the fence. */
  firstLine: number;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Finds the one fenced ```yaml block of a docs page that holds an OpenAPI document.
 * The docs deliver it as a four-backtick fence whose info string names the spec file,
 * the method and the path; fences are matched by CommonMark rules (same character,
 * closing fence at least as long as the opening one).
 */
export function extractOpenApiBlock(page: string, pageName: string): OpenApiBlock {
  const lines = page.replace(/\r\n?/g, "\n").split("\n");
  const blocks: OpenApiBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING_FENCE.exec(lines[i] ?? "");
    if (!open) continue;
    const fence = open[2] as string;
    const [lang = "", ...rest] = (open[3] ?? "").trim().split(/\s+/);
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? "")) end++;
    const body = lines.slice(i + 1, end);
    const text = body.length > 0 ? `${body.join("\n")}\n` : "";
    const isYaml = lang === "yaml" || lang === "yml";
    const looksOpenApi = /^openapi:\s*["']?3\./m.test(text) || /openapi\.ya?ml$/i.test(rest[0] ?? "");
    if (isYaml && looksOpenApi) blocks.push({ text, info: rest.join(" "), firstLine: i + 2 });
    i = end;
  }
  if (blocks.length === 0) {
    throw new PipelineError(
      "no OpenAPI block found: expected one fenced ```yaml block whose content starts with `openapi: 3.x`",
      { file: pageName },
      "Pass the docs page as delivered (the '## OpenAPI' section with its fenced yaml block).",
    );
  }
  if (blocks.length > 1) {
    throw new PipelineError(
      `${blocks.length} OpenAPI blocks found; a docs page must embed exactly one`,
      blocks.map((b) => ({ file: pageName, line: b.firstLine - 1 })),
      "Split the page, or import the endpoint pages one by one.",
    );
  }
  return blocks[0] as OpenApiBlock;
}
