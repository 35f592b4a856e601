/**
 * docs/pipeline.md: "Every failure names the file and the location, then says what to do." Each bad input
 * below goes through the real code path (stage 1 of the pipeline, spec:import, the command line),
 * and the message it prints must end with advice: the error's hint, or, for a failure made of
 * several problems, each problem's own. The failures of later stages (lint, join, overlays) are
 * checked the same way in failures.test.ts.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadInputs } from "../../scripts/build/load-inputs.ts";
import { build } from "../../scripts/build/pipeline.ts";
import { importPages } from "../../scripts/import/import-pages.ts";
import { parseCommandLine } from "../../scripts/shared/cli.ts";
import { formatPipelineError, isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import type { ProjectLayout } from "../../scripts/shared/project.ts";
import { copyFixtureProject, FIXTURE, FIXTURES, type TempProject } from "./helpers.ts";

const REVOKE_PAGE = path.join(FIXTURES, "pages", "revoke-api-key.md");

/** What the person is told to do: the hint, or when there is none, every problem's own. */
function advice(error: PipelineError): string[] {
  return error.hint !== undefined ? [error.hint] : (error.details ?? []).map((d) => d.hint ?? "");
}

/** The error `run` rejects with, formatted, after checking that its last line is advice. */
async function expectAdvice(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPipelineError(error)) throw new Error(`expected a PipelineError, got ${String(error)}`);
  const said = advice(error);
  expect(said.length, "a hint, or details that each carry one").toBeGreaterThan(0);
  for (const hint of said) expect(hint, `advice in: ${error.message}`).toMatch(/\w+ \w+/);
  const message = formatPipelineError(error);
  expect(message.trimEnd().split("\n").at(-1)?.trim()).toBe(said.at(-1));
  return message;
}

/** A page with the revoke page's prose and a block of `yaml` under `fence`. */
const page = (fence: string, yaml: string) => `# Seite\n\nProsa.\n\n\`\`\`\`${fence}\n${yaml}\`\`\`\`\n`;
const ONE_OPERATION = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n";

let project: TempProject;
beforeAll(async () => {
  project = await copyFixtureProject();
});
afterAll(() => project.cleanup());

/** A fresh copy for a case that changes spec/. */
async function withProject(change: (p: ProjectLayout) => Promise<void>): Promise<ProjectLayout> {
  const copy = await copyFixtureProject();
  cleanups.push(copy.cleanup);
  await change(copy);
  return copy;
}
const cleanups: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(cleanups.map((c) => c())));

describe("stage 1 (load inputs) says what to do", () => {
  test.each<[string, (p: ProjectLayout) => Promise<void>, string[]]>([
    [
      "invalid YAML in a fragment, with the whole code frame",
      async (p) => {
        const file = path.join(p.fragmentsDir, FIXTURE.listSecrets.file);
        const lines = (await readFile(file, "utf8")).split("\n");
        // After `info:` and its three lines: a second top-level `openapi`.
        lines.splice(5, 0, "openapi: 3.0.0");
        await writeFile(file, lines.join("\n"));
      },
      [
        `spec/fragments/${FIXTURE.listSecrets.file}:6:1\n  invalid YAML: Map keys must be unique\n` +
          "    4 |   title: Devin API v3\n    5 |   version: 3.0.0\n  > 6 | openapi: 3.0.0\n      | ^\n",
        "pull or re-import the fragment from its docs page",
      ],
    ],
    [
      "invalid YAML in an overlay, with advice for an overlay (not a re-import)",
      (p) => writeFile(path.join(p.overlaysDir, "50-bad.yaml"), "overlay: 1.0.0\nactions: [unclosed\n"),
      ["spec/overlays/50-bad.yaml:", "keep keys unique)."],
    ],
    [
      "overlays in a subfolder of spec/overlays/, naming each",
      async (p) => {
        await mkdir(path.join(p.overlaysDir, "old", "deeper"), { recursive: true });
        await writeFile(path.join(p.overlaysDir, "old", "b.yml"), "overlay: 1.0.0\n");
        await writeFile(path.join(p.overlaysDir, "old", "deeper", "a.yaml"), "overlay: 1.0.0\n");
      },
      [
        "spec/overlays/old/b.yml\nspec/overlays/old/deeper/a.yaml\n",
        "2 overlays sit",
        "Move it up into spec/overlays/",
      ],
    ],
    [
      "a YAML alias bomb",
      (p) =>
        writeFile(
          path.join(p.fragmentsDir, "bomb.yaml"),
          "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        ),
      ["spec/fragments/bomb.yaml:2:", "alias bomb"],
    ],
  ])("%s", async (_name, change, expected) => {
    const layout = await withProject(change);
    const message = await expectAdvice(() => loadInputs(layout));
    for (const part of expected) expect(message).toContain(part);
  });

  test("reads the fixture project itself without complaint", async () => {
    const inputs = await loadInputs(project);
    expect(inputs.fragments.map((f) => path.basename(f.path))).toContain(FIXTURE.listSecrets.file);
  });
});

describe("stage 3 (bundle fragments) says what to do", () => {
  // Parts in subfolders are fine (a multi-file spec); only a fragment there is left out.
  test("a fragment in a subfolder of spec/fragments/ that no fragment $refs, naming it", async () => {
    const layout = await withProject(async (p) => {
      await mkdir(path.join(p.fragmentsDir, "keys"));
      await writeFile(path.join(p.fragmentsDir, "keys", "list.yaml"), "openapi: 3.1.0\n");
    });
    const message = await expectAdvice(() => build(layout));
    expect(message).toContain("spec/fragments/keys/list.yaml");
    expect(message).toContain("a fragment sits in a subfolder of spec/fragments/");
    expect(message).toContain("Move it up into spec/fragments/");
  });
});

describe("spec:import says what to do", () => {
  test.each<[string, () => Promise<string[]>, string[]]>([
    ["a page without an OpenAPI block", async () => [await write("empty.md", "# Titel\n\nNur Prosa.\n")], ["empty.md"]],
    [
      "a page with two OpenAPI blocks",
      async () => [await write("two.md", `${page("yaml a", ONE_OPERATION)}\n${page("yaml b", ONE_OPERATION)}`)],
      ["2 OpenAPI blocks found"],
    ],
    [
      "invalid YAML in a page, framed with the page's line numbers",
      async () => [await write("broken.md", page("yaml", "openapi: 3.1.0\nopenapi: 3.0.0\n"))],
      [
        "broken.md:7:1",
        "Map keys must be unique",
        "    6 | openapi: 3.1.0",
        "  > 7 | openapi: 3.0.0",
        "Save the page again from the docs",
      ],
    ],
    [
      "a block with two operations",
      async () => [await write("many.md", page("yaml", `${ONE_OPERATION}    post:\n      responses: {}\n`))],
      ["exactly one operation, found 2"],
    ],
    [
      "a fence that announces another operation than the block declares",
      async () => [
        await write(
          "liar.md",
          (await readFile(REVOKE_PAGE, "utf8")).replace(
            "yaml de/v3-openapi.yaml DELETE",
            "yaml de/v3-openapi.yaml GET",
          ),
        ),
      ],
      ["the fence announces GET"],
    ],
    ["the same page twice", async () => [REVOKE_PAGE, REVOKE_PAGE], ["revoke-api-key.md"]],
    ["a page path that names no file", async () => [path.join(project.root, "nope.md")], ["nope.md", "no such file"]],
    ["a page path that names a folder", async () => [project.root], ["cannot read the page: a folder, not a page"]],
    [
      "a $ref that leaves spec/",
      async () => [
        await write(
          "escape.md",
          page("yaml", ONE_OPERATION.replace("responses: {}", "responses: {$ref: '../../x.yaml'}")),
        ),
      ],
      ["outside spec/"],
    ],
  ])("%s", async (_name, pages, expected) => {
    const message = await expectAdvice(async () => importPages(await pages(), project, project.root));
    for (const part of expected) expect(message).toContain(part);
  });

  async function write(name: string, text: string): Promise<string> {
    const file = path.join(project.root, name);
    await writeFile(file, text);
    return file;
  }
});

describe("the command line says what to do", () => {
  test.each([
    ["an unknown flag", ["--colour"]],
    ["too many arguments", ["a", "b"]],
    ["an empty --root", ["--root", ""]],
    ["a --root that is not a project folder", ["--root", "/nonexistent/devin-api-client"]],
  ])("%s", async (_name, args) => {
    const command = { usage: "npm run x -- [page]", options: {}, positionals: { min: 0, max: 1 } } as const;
    const message = await expectAdvice(async () => parseCommandLine(command, args));
    expect(message).toContain("Usage: npm run x -- [page]");
  });
});
