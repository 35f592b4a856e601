import { type BaseResolver, type Config, lintDocument, makeDocumentFromString } from "@redocly/openapi-core";
import type { SourceFile } from "../shared/source-file.ts";
import { failOnErrors, type LintFinding, toFinding } from "./problems.ts";

/**
 * Stage 2: lints every fragment and overlay with redocly.yaml's root rules (Redocly tells an
 * OpenAPI document from an Overlay). Throws on any error; returns the warnings.
 */
export async function lintSources(
  sources: readonly SourceFile[],
  config: Config,
  resolver: BaseResolver,
): Promise<LintFinding[]> {
  const findings = await Promise.all(
    sources.map(async (file) => {
      const document = makeDocumentFromString(file.text, file.path);
      const problems = await lintDocument({ document, config, externalRefResolver: resolver });
      return problems.map((p) => toFinding(p, () => file.display));
    }),
  );
  return failOnErrors(findings.flat(), "lint of spec/");
}
