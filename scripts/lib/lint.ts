import {
  BaseResolver,
  type Config,
  type Document,
  getLineColLocation,
  lintDocument,
  loadConfig,
  makeDocumentFromString,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { type ErrorLocation, PipelineError } from "./pipeline-error.ts";
import type { SourceFile } from "./source-file.ts";

export interface LintFinding {
  severity: "error" | "warn";
  ruleId: string;
  message: string;
  location: ErrorLocation;
}

export async function loadLintConfig(configPath: string, display: string): Promise<Config> {
  try {
    return await loadConfig({ configPath });
  } catch (error) {
    throw new PipelineError(`cannot load the lint configuration: ${(error as Error).message}`, { file: display });
  }
}

/** Lints one parsed source file with the project's Redocly config (OpenAPI or Overlay, detected by Redocly). */
export async function lintSource(file: SourceFile, config: Config, resolver: BaseResolver): Promise<LintFinding[]> {
  const document = makeDocumentFromString(file.text, file.path);
  const problems = await lintDocument({ document, config, externalRefResolver: resolver });
  return problems.map((p) => toFinding(p, () => file.display));
}

/** Lints an in-memory document (the bundle); `describe` turns a pointer into a location people can find. */
export async function lintInMemory(
  document: Document,
  config: Config,
  describe: (pointer: string) => string,
): Promise<LintFinding[]> {
  const problems = await lintDocument({ document, config, externalRefResolver: new BaseResolver(config.resolve) });
  // Lines of the in-memory bundle mean nothing to a reader: the pointer and the fragment say where.
  return problems.map((p) => toFinding(p, describe, false));
}

function toFinding(problem: NormalizedProblem, describe: (pointer: string) => string, withLines = true): LintFinding {
  const loc = problem.location[0];
  const location: ErrorLocation = { file: describe(loc?.pointer ?? "#/") };
  if (loc && withLines) {
    try {
      const { start } = getLineColLocation(loc);
      Object.assign(location, { line: start.line, column: start.col });
    } catch {
      // No line to point at; the pointer below still says where.
    }
  }
  if (loc) location.pointer = loc.pointer ?? "#/";
  return {
    severity: problem.severity === "error" ? "error" : "warn",
    ruleId: problem.ruleId,
    message: problem.message,
    location,
  };
}

/** Throws one PipelineError listing every error-level finding; returns the warnings. */
export function failOnErrors(findings: readonly LintFinding[], stage: string): LintFinding[] {
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    throw new PipelineError(
      `${stage}: ${errors.length} lint error${errors.length === 1 ? "" : "s"}`,
      errors.map((e) => e.location),
      "Fix the spec (or, with a reason in a comment, the rule in redocly.yaml) and run `npm run generate` again.",
      errors.map((e) => ({ location: e.location, message: `${e.message} [${e.ruleId}]` })),
    );
  }
  return findings.filter((f) => f.severity === "warn");
}
