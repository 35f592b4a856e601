import { describe, expect, it } from "vitest";
import { type Change, reportOf } from "../../scripts/gate/change-report.ts";
import {
  formatChangeReportMarkdown,
  formatChangeSummary,
  parseReportFormat,
} from "../../scripts/gate/report-format.ts";

const LIST = "GET /v3/organizations/{org_id}/secrets";
const DELETE = "DELETE /v3/organizations/{org_id}/secrets/{secret_id}";

/** Changes as compareBundles reports them (test/pipeline/change-report.test.ts pins those). */
const CHANGES = {
  operationRemoved: {
    impact: "major",
    kind: "removed",
    subject: DELETE,
    where: "",
    message: "operation `handle_delete_secret` was removed: code that uses it no longer compiles.",
  },
  fieldRemoved: {
    impact: "major",
    kind: "removed",
    subject: LIST,
    where: "responses/200/content/application/json/schema/properties/total",
    message: "Property `total` of `PaginatedResponse_SecretResponse_` was removed.",
  },
  operationAdded: {
    impact: "minor",
    kind: "added",
    subject: "GET /v3/organizations/{org_id}/widgets",
    where: "",
    message: "operation `list_widgets` was added.",
  },
  componentAdded: {
    impact: "minor",
    kind: "added",
    subject: "components/schemas/Widget",
    where: "",
    message: "component `schemas/Widget` was added.",
  },
  parameterAdded: { impact: "minor", kind: "added", subject: LIST, where: "parameters/4", message: "added" },
  description: { impact: "patch", kind: "modified", subject: LIST, where: "", message: "description modified" },
  summary: { impact: "patch", kind: "modified", subject: DELETE, where: "", message: "summary modified" },
} satisfies Record<string, Change>;

const markdown = (changes: Change[], level?: number) =>
  formatChangeReportMarkdown(reportOf(changes), "generated/devin-api.yaml at HEAD", "spec/", {
    ...(level === undefined ? {} : { headingLevel: level }),
  });
const summary = (changes: Change[]) => formatChangeSummary(reportOf(changes));

/** A table row's cells as GitHub splits them: at every `|` that no backslash escapes. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);
const tableRows = (text: string) => text.split("\n").filter((line) => line.startsWith("| "));

describe("the report's rating is its most severe change", () => {
  const { operationRemoved, operationAdded, description, parameterAdded } = CHANGES;
  it.each<[string, Change[], string]>([
    ["nothing", [], "none"],
    ["patch alone", [description], "patch"],
    ["minor over patch", [description, parameterAdded], "minor"],
    ["major over minor and patch", [description, operationAdded, operationRemoved], "major"],
    ["major, whatever the order", [operationRemoved, description, operationAdded], "major"],
  ])("%s", (_, changes, bump) => {
    expect(reportOf(changes).bump).toBe(bump);
  });
});

describe("the report in Markdown", () => {
  it("prints a mixed report as a heading with the rating, the counts, and one table per impact, most severe first", () => {
    const { description, operationAdded, fieldRemoved, operationRemoved } = CHANGES;
    expect(markdown([description, operationAdded, fieldRemoved, operationRemoved])).toBe(
      [
        "## API changes: MAJOR for users of the typed client",
        "",
        "2 major, 1 minor, 1 patch (generated/devin-api.yaml at HEAD → spec/).",
        "",
        "### Major: code that compiled may stop compiling or break at run time (2)",
        "",
        "| change | subject | where | what |",
        "| --- | --- | --- | --- |",
        "| removed | `DELETE /v3/organizations/{org_id}/secrets/{secret_id}` |  | operation `handle_delete_secret` was removed: code that uses it no longer compiles. |",
        "| removed | `GET /v3/organizations/{org_id}/secrets` | `responses/200/content/application/json/schema/properties/total` | Property `total` of `PaginatedResponse_SecretResponse_` was removed. |",
        "",
        "### Minor: new things, existing code keeps working (1)",
        "",
        "| change | subject | where | what |",
        "| --- | --- | --- | --- |",
        "| added | `GET /v3/organizations/{org_id}/widgets` |  | operation `list_widgets` was added. |",
        "",
        "### Patch: documentation only (1)",
        "",
        "| change | subject | where | what |",
        "| --- | --- | --- | --- |",
        "| modified | `GET /v3/organizations/{org_id}/secrets` |  | description modified |",
      ].join("\n"),
    );
  });

  it.each<[string, Change, string, string]>([
    [
      "major",
      CHANGES.fieldRemoved,
      "MAJOR",
      "### Major: code that compiled may stop compiling or break at run time (1)",
    ],
    ["minor", CHANGES.parameterAdded, "MINOR", "### Minor: new things, existing code keeps working (1)"],
    ["patch", CHANGES.description, "PATCH", "### Patch: documentation only (1)"],
  ])("prints a report of one %s change with that rating and only its own section", (_, change, rating, section) => {
    const text = markdown([change]);
    expect(text.split("\n")[0]).toBe(`## API changes: ${rating} for users of the typed client`);
    expect(text.split("\n").filter((line) => line.startsWith("### "))).toEqual([section]);
    expect(tableRows(text)).toHaveLength(3); // header, rule, the change
  });

  it("says there is nothing for users of the typed client when the report is empty", () => {
    expect(markdown([])).toBe(
      "## API changes: none\n\nNo changes for users of the typed client (generated/devin-api.yaml at HEAD → spec/).",
    );
  });

  it("nests under a heading of the level asked for (a CHANGELOG.md entry)", () => {
    const headings = markdown([CHANGES.description], 3)
      .split("\n")
      .filter((line) => line.startsWith("#"));
    expect(headings).toEqual([
      "### API changes: PATCH for users of the typed client",
      "#### Patch: documentation only (1)",
    ]);
  });

  it("keeps every row at four cells when a message, subject or place holds pipes, backticks and line breaks", () => {
    const hostile: Change = {
      impact: "major",
      kind: "removed",
      subject: "GET /v3/a|b",
      where: "properties/x`|`y",
      message: "Property `a|b` of `X` was removed | see ``odd` <b>bold</b> *x* [link](http://e.invalid)\nsecond line\\",
    };
    const rows = tableRows(markdown([hostile, CHANGES.fieldRemoved]));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(cells(row)).toHaveLength(4);
    const [change, subject, where, message] = cells(rows[2] ?? "");
    expect(change).toBe(" removed ");
    expect(subject).toBe(" `GET /v3/a\\|b` ");
    expect(where).toBe(" ``properties/x`\\|`y`` ");
    // Quoted names stay code (`odd`); a stray backtick, HTML, emphasis and link syntax are
    // escaped; the line break becomes a space; a trailing backslash cannot escape the cell's end.
    expect(message).toBe(
      " Property `a\\|b` of `X` was removed \\| see \\``odd` \\<b\\>bold\\</b\\> \\*x\\* \\[link\\](http://e.invalid) second line\\\\ ",
    );
  });
});

describe("the report as one summary line, for a pull request's title", () => {
  const c = CHANGES;
  it.each<[string, Change[], string]>([
    ["an empty report", [], "NONE"],
    ["one operation added", [c.operationAdded], "MINOR, 1 operation added"],
    ["one operation removed", [c.operationRemoved], "MAJOR, 1 operation removed"],
    ["a removed response field", [c.fieldRemoved], "MAJOR, 1 breaking change"],
    [
      "an added parameter and a component",
      [c.parameterAdded, c.componentAdded],
      "MINOR, 1 component added, 1 compatible change",
    ],
    ["two prose edits", [c.description, c.summary], "PATCH, 2 documentation changes"],
    [
      "everything at once, most severe first, whatever the order given",
      [
        c.summary,
        c.componentAdded,
        c.operationAdded,
        c.description,
        c.fieldRemoved,
        c.operationRemoved,
        c.parameterAdded,
      ],
      "MAJOR, 1 operation removed, 1 breaking change, 1 operation added, 1 component added, 1 compatible change, 2 documentation changes",
    ],
  ])("%s", (_, changes, want) => {
    expect(summary(changes)).toBe(want);
  });

  it("is one line", () => {
    expect(summary(Object.values(CHANGES))).not.toContain("\n");
  });
});

describe("--format", () => {
  const command = { usage: "npm run check -- [--format text|markdown|summary]" };
  it.each([
    [undefined, "text"],
    ["text", "text"],
    ["markdown", "markdown"],
    ["summary", "summary"],
  ])("reads %s as %s", (value, want) => {
    expect(parseReportFormat(value, command)).toBe(want);
  });

  it("refuses any other value with the usage", () => {
    expect(() => parseReportFormat("md", command)).toThrow(
      expect.objectContaining({
        message: 'command line: --format takes text, markdown, summary, not "md"',
        hint: `Usage: ${command.usage}`,
      }),
    );
  });
});
