/**
 * In-process units of what turns Redocly's problems into our findings (scripts/build/problems.ts:
 * the message naming an unresolved `$ref`, the location, the severity, the failure listing every
 * error), of the provenance that names a node's fragment (provenance.ts), and of how the bundle
 * is written as YAML (serialize.ts). The problems come from linting tiny documents with Redocly,
 * or are built by hand for the shapes a lint run rarely gives (no location, no pointer).
 */
import {
  BaseResolver,
  createConfig,
  type LocationObject,
  lintDocument,
  makeDocumentFromString,
  type NormalizedProblem,
  Source,
} from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { failOnErrors, type LintFinding, problemMessage, toFinding } from "../../scripts/build/problems.ts";
import { Provenance } from "../../scripts/build/provenance.ts";
import { serializeOutputs } from "../../scripts/build/serialize.ts";
import { projectLayout } from "../../scripts/shared/project.ts";
import { parseSourceFile } from "../../scripts/shared/source-file.ts";
import { pipelineErrorOf } from "./helpers.ts";

const FILE = "/project/spec/fragments/a.yaml";
const DISPLAY = "spec/fragments/a.yaml";
const UNRESOLVED = "Can't resolve $ref";

/** A fragment whose one operation has no summary and answers with a schema that is not declared. */
const FRAGMENT = [
  "openapi: 3.1.0",
  "info:",
  "  title: T",
  '  version: "1"',
  "paths:",
  "  /a:",
  "    get:",
  "      responses:",
  '        "200":',
  "          description: OK",
  "          content:",
  "            application/json:",
  "              schema:",
  '                $ref: "#/components/schemas/Missing"',
  "",
].join("\n");

/** The problems Redocly reports on `text` with two rules: a warning and an error. */
async function lint(text: string): Promise<NormalizedProblem[]> {
  const config = await createConfig({ rules: { "operation-summary": "warn", "no-unresolved-refs": "error" } });
  const document = makeDocumentFromString(text, FILE);
  return lintDocument({ document, config, externalRefResolver: new BaseResolver() });
}

/** The one problem of `problems` that `ruleId` reported. */
function only(problems: readonly NormalizedProblem[], ruleId: string): NormalizedProblem {
  const found = problems.filter((p) => p.ruleId === ruleId);
  expect(found).toHaveLength(1);
  return found[0] as NormalizedProblem;
}

/** The node at `pointer` of `body` (a pointer Redocly gives). */
function at(body: string, pointer: string): LocationObject {
  return { source: new Source(FILE, body), pointer };
}

/** A problem as Redocly normalises it, built by hand. */
function problem(
  message: string,
  location: LocationObject[],
  severity: NormalizedProblem["severity"] = "error",
  ruleId = "no-unresolved-refs",
): NormalizedProblem {
  return { ruleId, severity, message, location, suggest: [] };
}

/** A `locate` that names the file and keeps every pointer it was asked about. */
function recordingLocate(): { locate: (pointer: string) => string; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    locate: (pointer) => {
      asked.push(pointer);
      return DISPLAY;
    },
  };
}

const REF_AT_SCHEMA = ["schema:", "  $ref: ./other.yaml#/Pet", "count: 3", "weird:", "  $ref: 5", ""].join("\n");

describe("problemMessage", () => {
  it("names the target of a $ref Redocly cannot resolve, read from the problem's source", async () => {
    const unresolved = only(await lint(FRAGMENT), "no-unresolved-refs");
    expect(unresolved.message).toBe(UNRESOLVED);
    expect(problemMessage(unresolved)).toBe("Can't resolve $ref `#/components/schemas/Missing`");
  });

  it("keeps what Redocly says after the words, the target put in between", () => {
    const p = problem(`${UNRESOLVED}: ENOENT`, [at(REF_AT_SCHEMA, "#/schema")]);
    expect(problemMessage(p)).toBe("Can't resolve $ref `./other.yaml#/Pet`: ENOENT");
  });

  it("reads the target from `parsed`, the document the pointer refers to, over the problem's older source", () => {
    const p = problem(UNRESOLVED, [at(REF_AT_SCHEMA, "#/schema")]);
    expect(problemMessage(p, { schema: { $ref: "#/components/schemas/Newer" } })).toBe(
      "Can't resolve $ref `#/components/schemas/Newer`",
    );
  });

  it("reads a location without a pointer as the document's root", () => {
    const source = new Source(FILE, "$ref: ./root.yaml\n");
    const p = problem(UNRESOLVED, [{ source, pointer: undefined, start: { line: 1, col: 1 } }]);
    expect(problemMessage(p)).toBe("Can't resolve $ref `./root.yaml`");
  });

  it("leaves any other message as it is, even when its node holds a $ref", () => {
    const p = problem("Something else about $ref", [at(REF_AT_SCHEMA, "#/schema")]);
    expect(problemMessage(p)).toBe("Something else about $ref");
  });

  it.each([
    ["the problem has no location", []],
    ["the pointer names no node", [at(REF_AT_SCHEMA, "#/nowhere/deeper")]],
    ["the node is a scalar", [at(REF_AT_SCHEMA, "#/count")]],
    ["the node holds no $ref", [at(REF_AT_SCHEMA, "#/")]],
    ["the node's $ref is not a string", [at(REF_AT_SCHEMA, "#/weird")]],
    ["the source is not YAML", [at("schema: [unclosed\n", "#/schema")]],
  ])("leaves Redocly's message as it is when %s", (_, location: LocationObject[]) => {
    expect(problemMessage(problem(UNRESOLVED, location))).toBe(UNRESOLVED);
  });
});

describe("toFinding", () => {
  it("gives the file `locate` names for the pointer, the line, column and pointer, the rule and the severity", async () => {
    const problems = await lint(FRAGMENT);
    const { locate, asked } = recordingLocate();
    const findings = [only(problems, "operation-summary"), only(problems, "no-unresolved-refs")].map((p) =>
      toFinding(p, locate),
    );
    expect(findings).toEqual([
      {
        severity: "warn",
        ruleId: "operation-summary",
        message: "Operation object should contain `summary` field.",
        location: { file: DISPLAY, line: 7, column: 5, pointer: "#/paths/~1a/get/summary" },
      },
      {
        severity: "error",
        ruleId: "no-unresolved-refs",
        message: "Can't resolve $ref `#/components/schemas/Missing`",
        location: {
          file: DISPLAY,
          line: 14,
          column: 17,
          pointer: "#/paths/~1a/get/responses/200/content/application~1json/schema",
        },
      },
    ]);
    expect(asked).toEqual([
      "#/paths/~1a/get/summary",
      "#/paths/~1a/get/responses/200/content/application~1json/schema",
    ]);
  });

  it("without lines (an in-memory bundle), says where by the pointer and the fragment `locate` finds for it", async () => {
    const provenance = new Provenance();
    provenance.record("#/paths/~1a", DISPLAY);
    const unresolved = only(await lint(FRAGMENT), "no-unresolved-refs");
    expect(toFinding(unresolved, (pointer) => provenance.describe(pointer), false).location).toEqual({
      file: "devin-api.yaml (bundle; from spec/fragments/a.yaml)",
      pointer: "#/paths/~1a/get/responses/200/content/application~1json/schema",
    });
  });

  it("for a location given by line and column, keeps them and points at the root", () => {
    const source = new Source(FILE, "openapi: 3.1.0\ninfo: {}\n");
    const contact = "Info object should contain `contact` field.";
    const p = problem(contact, [{ source, pointer: undefined, start: { line: 2, col: 3 } }], "warn", "info-contact");
    const { locate, asked } = recordingLocate();
    expect(toFinding(p, locate)).toEqual({
      severity: "warn",
      ruleId: "info-contact",
      message: contact,
      location: { file: DISPLAY, line: 2, column: 3, pointer: "#/" },
    });
    expect(asked).toEqual(["#/"]);
  });

  it.each([true, false])(
    "for a problem without a location, names the file `locate` gives for the root (lines: %s)",
    (withLines) => {
      const { locate, asked } = recordingLocate();
      expect(toFinding(problem("no location", []), locate, withLines)).toEqual({
        severity: "error",
        ruleId: "no-unresolved-refs",
        message: "no location",
        location: { file: DISPLAY },
      });
      expect(asked).toEqual(["#/"]);
    },
  );
});

describe("failOnErrors", () => {
  const finding = (severity: LintFinding["severity"], ruleId: string, line: number): LintFinding => ({
    severity,
    ruleId,
    message: `${ruleId} at line ${line}`,
    location: { file: DISPLAY, line, column: 1 },
  });
  const HINT =
    "Fix the spec (or, with a reason in a comment, the rule in redocly.yaml) and run `npm run generate` again.";

  it("returns the warnings, as a list of their own", () => {
    const findings = [finding("warn", "a", 1), finding("warn", "b", 2)];
    const warnings = failOnErrors(findings, "lint of spec/");
    expect(warnings).toEqual(findings);
    warnings.pop();
    expect(findings).toHaveLength(2);
  });

  it("returns no warnings when there are none", () => {
    expect(failOnErrors([], "lint of spec/")).toEqual([]);
  });

  it("fails on one error, naming the stage, its location, its message with the rule, and what to do", () => {
    const error = pipelineErrorOf(() =>
      failOnErrors([finding("warn", "a", 1), finding("error", "b", 2)], "lint of spec/"),
    );
    expect(error.message).toBe("lint of spec/: 1 lint error");
    expect(error.locations).toEqual([{ file: DISPLAY, line: 2, column: 1 }]);
    expect(error.hint).toBe(HINT);
    expect(error.details).toEqual([{ locations: [{ file: DISPLAY, line: 2, column: 1 }], message: "b at line 2 [b]" }]);
  });

  it("fails on several errors, listing each in order (and no warning)", () => {
    const error = pipelineErrorOf(() =>
      failOnErrors(
        [finding("error", "c", 3), finding("warn", "a", 1), finding("error", "b", 2)],
        "lint of the bundle (after overlays)",
      ),
    );
    expect(error.message).toBe("lint of the bundle (after overlays): 2 lint errors");
    expect(error.locations).toEqual([
      { file: DISPLAY, line: 3, column: 1 },
      { file: DISPLAY, line: 2, column: 1 },
    ]);
    expect(error.details?.map((d) => d.message)).toEqual(["c at line 3 [c]", "b at line 2 [b]"]);
  });
});

describe("Provenance", () => {
  it("keeps the first file recorded for a node", () => {
    const provenance = new Provenance();
    provenance.record("#/components/schemas/Key", "spec/fragments/a.yaml");
    provenance.record("#/components/schemas/Key", "spec/fragments/b.yaml");
    expect(provenance.fileOf("#/components/schemas/Key/type")).toBe("spec/fragments/a.yaml");
  });

  it("describes a node by the bundle, and by its fragment when one was recorded", () => {
    const provenance = new Provenance();
    provenance.record("#/paths/~1a", "spec/fragments/a.yaml");
    expect(provenance.describe("#/paths/~1a/get")).toBe("devin-api.yaml (bundle; from spec/fragments/a.yaml)");
    expect(provenance.describe("#/paths/~1b/get")).toBe("devin-api.yaml (bundle)");
    expect(provenance.describe("#/")).toBe("devin-api.yaml (bundle)");
  });
});

describe("serializeOutputs", () => {
  it("writes a node the bundle holds twice in full both times, without YAML anchors and aliases", async () => {
    const source = (name: string) => parseSourceFile(`/project/spec/${name}`, `spec/${name}`, "openapi: 3.1.0\n");
    const shared = { type: "string", description: "An id." };
    const bundle = { components: { schemas: { A: shared, B: shared } } };
    const inputs = {
      layout: projectLayout("/project"),
      config: await createConfig({}),
      fragments: [source("fragments/b.yaml"), source("fragments/a.yaml")],
      parts: [],
      overlays: [source("overlays/2.yaml"), source("overlays/1.yaml")],
      nested: [],
    };
    const { bundleText } = serializeOutputs(bundle, inputs, { schema: "", operations: "" });
    expect(bundleText).toBe(
      [
        "# Generated by `npm run generate`. Do not edit: change spec/ and regenerate.",
        "# Fragments:",
        "#   spec/fragments/a.yaml",
        "#   spec/fragments/b.yaml",
        "# Overlays, applied in this order:",
        "#   spec/overlays/2.yaml",
        "#   spec/overlays/1.yaml",
        "components:",
        "  schemas:",
        "    A:",
        "      type: string",
        "      description: An id.",
        "    B:",
        "      type: string",
        "      description: An id.",
        "",
      ].join("\n"),
    );
  });
});
