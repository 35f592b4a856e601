/**
 * The change report's ratings, exactly: each severity on its own (every change, not only that
 * there are some), combined changes (the overall bump is the most severe one: major over minor
 * over patch), and the printed order.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type ChangeReport, compareBundles, formatChangeReport } from "../../scripts/gate/change-report.ts";
import { FIXTURE, FIXTURE_PROJECT } from "./helpers.ts";

const LIST = FIXTURE.listSecrets.path;
const WIDGETS = "/v3/organizations/{org_id}/widgets";
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, mutated freely by each case
type Bundle = Record<string, any>;
type Edit = (bundle: Bundle) => void;

let baseText: string;
const edited = (...edits: Edit[]) => {
  const bundle = parse(baseText) as Bundle;
  for (const edit of edits) edit(bundle);
  return stringify(bundle);
};

// One edit per severity, with the change `redocly diff` (and our by-name rules) make of it.
const major: Edit = (b) => {
  delete b.components.schemas.PaginatedResponse_SecretResponse_.properties.total;
};
const minor: Edit = (b) => {
  b.paths[LIST].get.parameters.push({ in: "query", name: "name", required: false, schema: { type: "string" } });
};
const patch: Edit = (b) => {
  b.paths[LIST].get.description = "Secrets auflisten.";
};
const addOperation: Edit = (b) => {
  b.paths[WIDGETS] = { get: { operationId: "list_widgets", responses: { 200: { description: "ok" } } } };
};
const MAJOR = ["major", "removed", `GET ${LIST}`, "responses/200/content/application/json/schema/properties/total"];
const MINOR = ["minor", "added", `GET ${LIST}`, "parameters/4"];
const PATCH = ["patch", "modified", `GET ${LIST}`, ""];
const ADDED = ["minor", "added", `GET ${WIDGETS}`, ""];

const rows = (report: ChangeReport) => report.changes.map((c) => [c.impact, c.kind, c.subject, c.where]);

describe("the change report rates", () => {
  beforeAll(async () => {
    baseText = await readFile(path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml"), "utf8");
  });

  it.each<[string, Edit[], ChangeReport["bump"], [number, number, number], string[][]]>([
    ["a removed response field: major", [major], "major", [1, 0, 0], [MAJOR]],
    ["an added optional query parameter: minor", [minor], "minor", [0, 1, 0], [MINOR]],
    ["an added operation: minor", [addOperation], "minor", [0, 1, 0], [ADDED]],
    ["a description edit: patch", [patch], "patch", [0, 0, 1], [PATCH]],
    ["major and minor together: major", [minor, major], "major", [1, 1, 0], [MINOR, MAJOR]],
    ["minor and patch together: minor", [patch, minor], "minor", [0, 1, 1], [PATCH, MINOR]],
    ["major, minor and patch together: major", [patch, minor, major], "major", [1, 1, 1], [PATCH, MINOR, MAJOR]],
  ])("%s", async (_, edits, bump, [nMajor, nMinor, nPatch], changes) => {
    const report = await compareBundles(baseText, edited(...edits));
    expect(report.bump).toBe(bump);
    expect(report.counts).toEqual({ major: nMajor, minor: nMinor, patch: nPatch });
    expect(rows(report)).toEqual(changes);
  });
});

describe("the printed change report", () => {
  const change = (impact: "major" | "minor" | "patch", subject: string) => ({
    impact,
    kind: "modified" as const,
    subject,
    where: "",
    message: `${impact} ${subject}`,
  });

  it("lists the most severe changes first, then by subject, under the overall rating", () => {
    const report: ChangeReport = {
      bump: "major",
      counts: { major: 1, minor: 2, patch: 1 },
      changes: [
        change("patch", "GET /a"),
        change("minor", "GET /b"),
        change("major", "GET /c"),
        change("minor", "GET /a"),
      ],
    };
    const lines = formatChangeReport(report, "base", "spec/").split("\n");
    expect(lines[0]).toBe(
      "API changes (base → spec/): MAJOR for users of the typed client (1 major, 2 minor, 1 patch)",
    );
    expect(lines.filter((l) => /^ {2}\S/.test(l))).toEqual([
      "  major  modified  GET /c",
      "  minor  modified  GET /a",
      "  minor  modified  GET /b",
      "  patch  modified  GET /a",
    ]);
  });

  it("says there is nothing for users of the client when nothing changed", () => {
    const none: ChangeReport = { bump: "none", counts: { major: 0, minor: 0, patch: 0 }, changes: [] };
    expect(formatChangeReport(none, "base", "spec/")).toBe(
      "API changes (base → spec/): none for users of the typed client.",
    );
  });
});
