import { getLineColLocation, type NormalizedProblem } from "@redocly/openapi-core";
import { parse } from "yaml";
import { pointerKeys, valueAt } from "../shared/json-pointer.ts";
import { isRecord } from "../shared/openapi.ts";
import { type ErrorLocation, PipelineError } from "../shared/pipeline-error.ts";

/** Not a stage: turns the problems Redocly reports (lint, bundling, overlays) into our findings. */

export interface LintFinding {
  severity: "error" | "warn";
  ruleId: string;
  message: string;
  location: ErrorLocation;
}

/**
 * Redocly's message, with the target of an unresolved `$ref` named: Redocly says only "Can't
 * resolve $ref" and points at the object holding it, so a reader would have to open the file
 * to learn whether `#/components/schemas/Foo` or `./other.yaml#/x` is missing.
 */
export function problemMessage(problem: NormalizedProblem, parsed?: unknown): string {
  const prefix = "Can't resolve $ref";
  if (!problem.message.startsWith(prefix)) return problem.message;
  const target = refTarget(problem, parsed);
  return target === undefined ? problem.message : `${prefix} \`${target}\`${problem.message.slice(prefix.length)}`;
}

// Failures only: parsing the source again costs nothing on a passing run.
const parsedSources = new WeakMap<object, unknown>();
/** `parsed`: the document the pointer refers to, when the problem's source text is older than it. */
function refTarget(problem: NormalizedProblem, parsed?: unknown): string | undefined {
  const loc = problem.location[0];
  if (!loc) return undefined;
  let data = parsed ?? parsedSources.get(loc.source);
  if (data === undefined) {
    try {
      data = parse(loc.source.body, { maxAliasCount: -1 }) as unknown;
    } catch {
      return undefined;
    }
    parsedSources.set(loc.source, data);
  }
  const node = valueAt(data, pointerKeys(loc.pointer ?? "#/"));
  return isRecord(node) && typeof node.$ref === "string" ? node.$ref : undefined;
}

/**
 * `locate` turns the pointer into a location people can find (a file, or the fragment a part
 * of the bundle came from). `withLines`: lines of an in-memory bundle mean nothing to a
 * reader, so there the pointer and the fragment say where.
 */
export function toFinding(
  problem: NormalizedProblem,
  locate: (pointer: string) => string,
  withLines = true,
): LintFinding {
  const loc = problem.location[0];
  const location: ErrorLocation = { file: locate(loc?.pointer ?? "#/") };
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
    message: problemMessage(problem),
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
      errors.map((e) => ({ locations: [e.location], message: `${e.message} [${e.ruleId}]` })),
    );
  }
  return findings.filter((f) => f.severity === "warn");
}
