/**
 * The gate's functions called in-process on hand-built inputs and small temp dirs: the drift
 * gate's comparison and its message, the base bundle the change report compares with, and the
 * report's formats. Only two tests spawn `redocly diff` (compareBundles) and one builds the
 * fixture project; the whole-command behaviour is in drift.test.ts and change-report.test.ts.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { bundleAtRevision, committedBundle } from "../../scripts/gate/bundle-changes.ts";
import {
  type Change,
  compareBundles,
  diffFailure,
  formatChangeReport,
  reportOf,
} from "../../scripts/gate/change-report.ts";
import { check, type Drift, findDrift, formatDrift, readGeneratedDir } from "../../scripts/gate/drift.ts";
import {
  formatBundleChanges,
  formatChangeReportMarkdown,
  formatChangeSummary,
  noChanges,
} from "../../scripts/gate/report-format.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { copyFixtureProject, FIXTURE, FIXTURE_PROJECT } from "./helpers.ts";

const LIST = `GET ${FIXTURE.listSecrets.path}`;
const DELETE = `DELETE ${FIXTURE.deleteSecret.path}`;
const BUNDLE = "generated/devin-api.yaml";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "devin-gate-units-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const lines = (...text: string[]) => text.join("\n");
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
/** The diff findDrift attaches to one file that differs. */
const diffOf = (committed: string, regenerated: string) =>
  findDrift(new Map([["a.ts", regenerated]]), new Map([["a.ts", committed]]), "generated")[0]?.diff;

describe("the drift gate reads generated/", () => {
  it("maps every entry by name, files with their text and a sub-folder to undefined", async () => {
    await writeFile(path.join(dir, "schema.ts"), "export {};\n");
    await mkdir(path.join(dir, "nested"));
    expect(await readGeneratedDir(dir)).toEqual(
      new Map<string, string | undefined>([
        ["nested", undefined],
        ["schema.ts", "export {};\n"],
      ]),
    );
  });

  it("reads CRLF line endings as LF, and keeps a lone CR and trailing spaces", async () => {
    await writeFile(path.join(dir, "crlf.ts"), "a\r\nb\r\n");
    await writeFile(path.join(dir, "cr.ts"), "a\rb  \n");
    expect(await readGeneratedDir(dir)).toEqual(
      new Map([
        ["cr.ts", "a\rb  \n"],
        ["crlf.ts", "a\nb\n"],
      ]),
    );
  });

  it("lists names by UTF-16 code unit, not in the byte order the file system returns", async () => {
    // UTF-8 bytes put U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80); UTF-16 puts D83D before FF21.
    for (const name of ["b.ts", "\uFF21.ts", "\u{1F600}.ts", "a.ts"]) await writeFile(path.join(dir, name), name);
    expect([...(await readGeneratedDir(dir)).keys()]).toEqual(["a.ts", "b.ts", "\u{1F600}.ts", "\uFF21.ts"]);
  });

  it("reads a generated/ that does not exist as empty", async () => {
    expect(await readGeneratedDir(path.join(dir, "generated"))).toEqual(new Map());
  });

  it("fails on a generated/ that is a file, with the file system's error", async () => {
    const file = path.join(dir, "generated");
    await writeFile(file, "not a folder\n");
    await expect(readGeneratedDir(file)).rejects.toMatchObject({ code: "ENOTDIR" });
  });
});

describe("the drift gate compares", () => {
  it("finds no drift when every file matches, byte for byte", () => {
    const files = new Map([
      ["devin-api.yaml", "openapi: 3.1.0\n"],
      ["schema.ts", "export {};\n"],
    ]);
    expect(findDrift(files, new Map(files), "generated")).toEqual([]);
  });

  it("names each file that differs, is missing (absent or a folder) or is stray, in that order", () => {
    const expected = new Map([
      ["a.ts", "new\n"],
      ["b.ts", "same\n"],
      ["c.ts", "c\n"],
      ["d.ts", "d\n"],
    ]);
    const actual = new Map<string, string | undefined>([
      ["notes.txt", "hand-written\n"],
      ["a.ts", "old\n"],
      ["b.ts", "same\n"],
      ["c.ts", undefined],
    ]);
    expect(findDrift(expected, actual, "out/gen")).toEqual<Drift[]>([
      {
        kind: "differs",
        file: "out/gen/a.ts",
        diff: lines("--- out/gen/a.ts (committed)", "+++ out/gen/a.ts (from spec/)", "@@ -1,1 +1,1 @@", "-old", "+new"),
      },
      { kind: "missing", file: "out/gen/c.ts" },
      { kind: "missing", file: "out/gen/d.ts" },
      { kind: "stray", file: "out/gen/notes.txt" },
    ]);
  });

  it("shows a changed line with two lines of context and no trailing tab on the file lines", () => {
    const committed = `${numbered("", 9).join("\n")}\n`;
    expect(diffOf(committed, committed.replace("5\n", "five\n"))).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -3,5 +3,5 @@",
        " 3",
        " 4",
        "-5",
        "+five",
        " 6",
        " 7",
      ),
    );
  });

  it("shows a whitespace-only change as it is: the trailing spaces stay in the diff", () => {
    expect(diffOf("x\ny  \nz\n", "x\ny\nz\n")).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -1,3 +1,3 @@",
        " x",
        "-y  ",
        "+y",
        " z",
      ),
    );
  });

  it("keeps the diff's last line as it is: trailing spaces, or a blank context line", () => {
    expect(diffOf("x\n", "x  \n")).toBe(
      lines("--- generated/a.ts (committed)", "+++ generated/a.ts (from spec/)", "@@ -1,1 +1,1 @@", "-x", "+x  "),
    );
    expect(diffOf("a\nb\n\n", "a\nc\n\n")).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -1,3 +1,3 @@",
        " a",
        "-b",
        "+c",
        " ",
      ),
    );
  });

  it("shows a diff of 39 lines whole", () => {
    const committed = `${numbered("a", 18).join("\n")}\n`;
    const regenerated = `${numbered("b", 18).join("\n")}\n`;
    expect(diffOf(committed, regenerated)).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -1,18 +1,18 @@",
        ...numbered("-a", 18),
        ...numbered("+b", 18),
      ),
    );
  });

  it("cuts a longer diff at 40 lines and says how many it left out", () => {
    const committed = `${numbered("a", 30).join("\n")}\n`;
    const regenerated = `${numbered("b", 30).join("\n")}\n`;
    // 63 diff lines: 40 shown, 23 left out.
    expect(diffOf(committed, regenerated)).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -1,30 +1,30 @@",
        ...numbered("-a", 30),
        ...numbered("+b", 7),
        "... 23 more diff lines",
      ),
    );
  });

  it("shows a diff of exactly 40 lines whole", () => {
    const committed = `${numbered("a", 18).join("\n")}\nsame\n`;
    const regenerated = `${numbered("b", 18).join("\n")}\nsame\n`;
    // 3 header lines, 36 changed lines and 1 line of context.
    expect(diffOf(committed, regenerated)).toBe(
      lines(
        "--- generated/a.ts (committed)",
        "+++ generated/a.ts (from spec/)",
        "@@ -1,19 +1,19 @@",
        ...numbered("-a", 18),
        ...numbered("+b", 18),
        " same",
      ),
    );
  });
});

describe("the drift gate's message", () => {
  it("says for each file how it drifted, with the diff indented under it", () => {
    const drift: Drift[] = [
      { kind: "differs", file: "generated/schema.ts", diff: "@@ -1 +1 @@\n-a\n+b" },
      { kind: "missing", file: "generated/operations.ts" },
      { kind: "stray", file: "generated/notes.txt" },
    ];
    expect(formatDrift(drift)).toBe(
      lines(
        "generated/schema.ts: differs from what spec/ generates (hand-edited, or spec/ changed without regenerating)",
        "    @@ -1 +1 @@",
        "    -a",
        "    +b",
        "generated/operations.ts: missing (the pipeline writes it, generated/ lacks it)",
        "generated/notes.txt: stray (not written by the pipeline; generated/ holds only pipeline output)",
      ),
    );
  });

  it("is empty when nothing drifted", () => {
    expect(formatDrift([])).toBe("");
  });
});

describe("check", () => {
  it("reports a missing bundle as drift, with no change report (there is nothing to compare with)", async () => {
    const project = await copyFixtureProject();
    try {
      await rm(project.bundleFile);
      const { drift, ...rest } = await check(project);
      expect(drift).toEqual([{ kind: "missing", file: BUNDLE }]);
      expect(Object.keys(rest)).toEqual(["result"]);
    } finally {
      await project.cleanup();
    }
  });
});

describe("the bundle the change report compares with", () => {
  const git = (cwd: string, ...args: string[]) =>
    promisify(execFile)(
      "git",
      ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args],
      { cwd },
    );
  let layout: ProjectLayout;
  beforeEach(async () => {
    layout = projectLayout(dir);
    await mkdir(layout.generatedDir);
  });

  /** HEAD holds v1, the index v2, the working tree v3: each source gives a different text. */
  const repository = async () => {
    await git(dir, "init", "-q");
    await writeFile(layout.bundleFile, "v1\n");
    await git(dir, "add", BUNDLE);
    await git(dir, "commit", "-q", "-m", "v1");
    await writeFile(layout.bundleFile, "v2\n");
    await git(dir, "add", BUNDLE);
    await writeFile(layout.bundleFile, "v3\n");
  };

  it("for generate: the bundle committed at HEAD, not the staged or the working copy", async () => {
    await repository();
    expect(await committedBundle(layout)).toEqual({ label: `${BUNDLE} at HEAD`, text: "v1\n" });
  });

  it("for generate, without a repository: the bundle generated/ holds, with LF line endings", async () => {
    await writeFile(layout.bundleFile, "a\r\nb\r\n");
    expect(await committedBundle(layout)).toEqual({ label: `${BUNDLE} before`, text: "a\nb\n" });
  });

  it("for generate, without a repository or a bundle: none", async () => {
    expect(await committedBundle(layout)).toBeUndefined();
  });

  it("for spec:diff: the bundle at the revision named", async () => {
    await repository();
    expect(await bundleAtRevision(layout, "HEAD")).toEqual({ label: `${BUNDLE} at HEAD`, text: "v1\n" });
  });

  it("for spec:diff: an error that names the file and the revision, and what to name instead", async () => {
    await repository();
    await expect(bundleAtRevision(layout, "no-such-tag")).rejects.toMatchObject({
      name: "PipelineError",
      message: `no ${BUNDLE} at git revision \`no-such-tag\``,
      locations: [{ file: BUNDLE }],
      hint: "Name a commit, branch or tag of this repository that has generated/.",
    });
  });
});

const CHANGES = {
  fieldRemoved: {
    impact: "major",
    kind: "removed",
    subject: LIST,
    where: "responses/200/content/application/json/schema/properties/total",
    message: "Property `total` of `PaginatedResponse_SecretResponse_` was removed.",
  },
  summary: { impact: "patch", kind: "modified", subject: DELETE, where: "", message: "summary modified" },
} satisfies Record<string, Change>;

describe("the change report in text", () => {
  it("prints each change with its place (when it has one) and its message on the next line", () => {
    expect(formatChangeReport(reportOf([CHANGES.summary, CHANGES.fieldRemoved]), "base", "spec/")).toBe(
      lines(
        "API changes (base → spec/): MAJOR for users of the typed client (1 major, 0 minor, 1 patch)",
        `  major  removed   ${LIST}  responses/200/content/application/json/schema/properties/total`,
        "         Property `total` of `PaginatedResponse_SecretResponse_` was removed.",
        `  patch  modified  ${DELETE}`,
        "         summary modified",
      ),
    );
  });
});

describe("a change set in each --format", () => {
  it("has nothing to rate when the bundle did not change", () => {
    expect(noChanges("base", "spec/")).toEqual({
      base: "base",
      revision: "spec/",
      report: { bump: "none", counts: { major: 0, minor: 0, patch: 0 }, changes: [] },
    });
  });

  it.each([
    ["text", "API changes (generated/devin-api.yaml at HEAD → spec/): none for users of the typed client."],
    [
      "markdown",
      "## API changes: none\n\nNo changes for users of the typed client (generated/devin-api.yaml at HEAD → spec/).",
    ],
    ["summary", "NONE"],
  ] as const)("prints an empty change set as %s", (format, want) => {
    expect(formatBundleChanges(noChanges(`${BUNDLE} at HEAD`, "spec/"), format)).toBe(want);
  });

  it("prints a change set as a summary line", () => {
    const changes = { base: "base", revision: "spec/", report: reportOf([CHANGES.fieldRemoved, CHANGES.summary]) };
    expect(formatBundleChanges(changes, "summary")).toBe("MAJOR, 1 breaking change, 1 documentation change");
  });
});

describe("the summary line counts as an operation or a component only what is named so", () => {
  it.each<[string, Change, string]>([
    [
      "a change added as a whole outside components and paths",
      { impact: "minor", kind: "added", subject: "webhooks/newWidget", where: "", message: "added" },
      "MINOR, 1 compatible change",
    ],
    [
      "a subject with a method-like word that does not start it",
      { impact: "major", kind: "removed", subject: "servers/MAIN /v3", where: "", message: "removed" },
      "MAJOR, 1 breaking change",
    ],
  ])("%s", (_, change, want) => {
    expect(formatChangeSummary(reportOf([change]))).toBe(want);
  });
});

describe("the Markdown table", () => {
  const rows = (changes: Change[]) =>
    formatChangeReportMarkdown(reportOf(changes), "base", "spec/")
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| change") && !line.startsWith("| ---"));
  const patch = (subject: string, where: string): Change => ({
    impact: "patch",
    kind: "modified",
    subject,
    where,
    message: "description modified",
  });

  it("orders the changes of one subject by place", () => {
    expect(rows([patch(LIST, "parameters/2"), patch(LIST, "parameters/1")])).toEqual([
      `| modified | \`${LIST}\` | \`parameters/1\` | description modified |`,
      `| modified | \`${LIST}\` | \`parameters/2\` | description modified |`,
    ]);
  });

  it.each([
    ["a line break, as a space", "a\nb", "`a b`"],
    ["a run of two backticks, in a fence of three", "a``b", "```a``b```"],
    ["a leading backtick, padded", "`a", "`` `a ``"],
    ["a trailing backtick, padded", "a`", "`` a` ``"],
  ])("keeps in a code span %s", (_, where, want) => {
    expect(rows([patch("components/schemas/X", where)])).toEqual([
      `| modified | \`components/schemas/X\` | ${want} | description modified |`,
    ]);
  });
});

describe("compareBundles", () => {
  let baseText: string;
  beforeAll(async () => {
    baseText = await readFile(path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml"), "utf8");
  });

  it("names a change inside a component by the component, and one to a path item by its route", async () => {
    const widget = (type: string) => ({ type: "object", properties: { widget_id: { type } } });
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, edited freely
    const base: any = parse(baseText);
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, edited freely
    const revision: any = parse(baseText);
    base.components.schemas.Widget = widget("string");
    revision.components.schemas.Widget = widget("integer");
    revision.paths[FIXTURE.listSecrets.path].summary = "Secrets";
    expect(await compareBundles(stringify(base), stringify(revision))).toEqual({
      bump: "patch",
      counts: { major: 0, minor: 0, patch: 2 },
      changes: [
        {
          impact: "patch",
          kind: "modified",
          subject: "components/schemas/Widget",
          where: "properties/widget_id",
          message: "type modified",
        },
        {
          impact: "patch",
          kind: "modified",
          subject: FIXTURE.listSecrets.path,
          where: "",
          message: "summary modified",
        },
      ],
    });
  });

  it("fails with Redocly's last words on one line and says what both bundles must be", async () => {
    const error = await compareBundles("swagger: '2.0'\n", baseText).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "PipelineError",
      locations: [],
      hint: "Both bundles must be valid OpenAPI: run `npm run generate` for spec/, and check the base bundle with `npx redocly lint`.",
    });
    // Above Redocly's error, Node 20 gets a notice box about its version: not the failure.
    expect((error as Error).message).toBe("redocly diff failed: Cannot compare oas2 with oas3_1.");
  });

  it("keeps the error of Redocly's stderr, not its stack frames or a notice box", () => {
    const stderr = [
      "╔════════════╗",
      "║  Update Node.js  ║",
      "╚════════════╝",
      "",
      "An unexpected error occurred.",
      'Error: bad indentation of a mapping entry in "/tmp/x/revision.yaml" (4:2)',
      "    at async Promise.all (index 1)",
      "    at async file:///cli/lib/index.js:160:752",
      "",
    ].join("\n");
    expect(diffFailure(stderr)).toBe(
      'An unexpected error occurred. Error: bad indentation of a mapping entry in "/tmp/x/revision.yaml" (4:2)',
    );
    expect(diffFailure("one\ntwo\nthree\nfour\n")).toBe("two three four");
    expect(diffFailure("    at x\n\n")).toBe("no message (exit code only)");
  });
});
