import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../scripts/build/pipeline.ts";
import { formatFailure } from "../../scripts/shared/cli.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";
import type { ProjectLayout } from "../../scripts/shared/project.ts";
import { copyFixtureProject, edit, FIXTURE, FIXTURES, runScript, snapshotDir, type TempProject } from "./helpers.ts";

const LIST = FIXTURE.listSecrets.file;
const OTHER_PATH = "/v3/organizations/{org_id}/other";

type Mutation = (p: ProjectLayout) => Promise<void>;

const fragment = (p: ProjectLayout, name: string) => path.join(p.fragmentsDir, name);
const overlay = (p: ProjectLayout, name: string, actions: string) =>
  writeFile(
    path.join(p.overlaysDir, name),
    `overlay: 1.0.0\ninfo:\n  title: Test\n  version: 1.0.0\nactions:\n${actions}`,
  );
/** A second fragment made from the list page with another path (and whatever else `change` does). */
const cloneList = (name: string, change: (text: string) => string) => async (p: ProjectLayout) => {
  const text = (await readFile(fragment(p, LIST), "utf8")).replace(`${FIXTURE.listSecrets.path}:`, `${OTHER_PATH}:`);
  await writeFile(fragment(p, name), change(text));
};
const otherOperationId = (t: string) =>
  t.replace("operationId: handle_list_secrets_v3_organizations__org_id__secrets_get", "operationId: other_get");
const otherSecretResponse = (t: string) =>
  t.replace("Antwortmodell für die Metadaten", "Anderes Modell für die Metadaten");

// [behaviour, mutation, fragments of the message that must name what is wrong and where]
const cases: [string, Mutation, string[]][] = [
  [
    "invalid YAML in a fragment",
    (p) => edit(fragment(p, LIST), (t) => `${t}broken: [unclosed\n`),
    ["invalid YAML", `spec/fragments/${LIST}:`],
  ],
  [
    "a fragment that fails lint",
    (p) =>
      copyFile(
        path.join(FIXTURES, "lint-error", "undeclared-path-parameter.yaml"),
        fragment(p, "undeclared-path-parameter.yaml"),
      ),
    ["1 lint error", "spec/fragments/undeclared-path-parameter.yaml:14:", "key_id", "[path-parameters-defined]"],
  ],
  [
    "a $ref that resolves to nothing, naming its target",
    (p) => edit(fragment(p, LIST), (t) => t.replace("schemas/PaginatedResponse_SecretResponse_'", "schemas/Missing'")),
    ["no-unresolved-refs", `spec/fragments/${LIST}:`, "Can't resolve $ref `#/components/schemas/Missing`"],
  ],
  [
    "a $ref to a file that does not exist, naming its target",
    (p) =>
      edit(fragment(p, LIST), (t) =>
        t.replace("'#/components/schemas/PaginatedResponse_SecretResponse_'", "'./other.yaml#/x'"),
      ),
    ["no-unresolved-refs", `spec/fragments/${LIST}:`, "Can't resolve $ref `./other.yaml#/x`"],
  ],
  [
    "an overlay that adds a $ref to nothing, naming its target",
    (p) =>
      overlay(
        p,
        "50-dangling.yaml",
        "  - target: $.components.schemas\n    update:\n      Extra:\n        $ref: '#/components/schemas/Nowhere'\n",
      ),
    ["applying spec/overlays/50-dangling.yaml failed", "Can't resolve $ref `#/components/schemas/Nowhere`"],
  ],
  [
    "a shared component whose content differs between fragments",
    cloneList("other.yaml", (t) => otherSecretResponse(otherOperationId(t))),
    [
      "component `schemas/SecretResponse` differs",
      `spec/fragments/${FIXTURE.deleteSecret.file}:`,
      "spec/fragments/other.yaml:",
      "#/components/schemas/SecretResponse",
      "Re-import both pages from the same version of the docs",
    ],
  ],
  [
    "two fragments with the same operationId",
    cloneList("other.yaml", (t) => t),
    ["duplicate operationId", `spec/fragments/${LIST}:`, "spec/fragments/other.yaml:", "operationIds must be unique"],
  ],
  [
    "two fragments declaring the same operation",
    (p) => copyFile(fragment(p, LIST), fragment(p, "copy.yaml")),
    ["declared by two fragments", "spec/fragments/copy.yaml:", `spec/fragments/${LIST}:`, "Keep one of the two files"],
  ],
  [
    "a YAML file in spec/fragments/ that is neither a fragment nor referenced",
    (p) => writeFile(fragment(p, "notes.yaml"), "title: Notizen\n"),
    ["spec/fragments/notes.yaml:1", "not a fragment"],
  ],
  [
    "an overlay action whose target matches nothing",
    (p) => overlay(p, "50-stale.yaml", "  - target: $.paths['/v3/gone'].get\n    update:\n      summary: weg\n"),
    ["stale overlay", "spec/overlays/50-stale.yaml:6:", "$.paths['/v3/gone'].get matches nothing"],
  ],
  [
    "an overlay without actions",
    (p) =>
      writeFile(path.join(p.overlaysDir, "50-empty.yaml"), "overlay: 1.0.0\ninfo:\n  title: leer\n  version: 1.0.0\n"),
    ["spec/overlays/50-empty.yaml:", "actions"],
  ],
];

async function failure(project: ProjectLayout): Promise<string> {
  const error = await generate(project).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  const message = formatPipelineError(error as never);
  // Every failure ends with what to do: its hint, or (join conflicts) the last problem's own.
  const { hint, details } = error as { hint?: string; details?: { hint?: string }[] };
  const advice = hint ?? details?.at(-1)?.hint;
  expect(advice, "the message ends with what to do").toMatch(/\w+ \w+/);
  expect(message.trimEnd().split("\n").at(-1)?.trim()).toBe(advice);
  return message;
}

describe("a failed generate", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it.each(cases)("reports %s with its location and leaves generated/ byte-identical", async (_, mutate, expected) => {
    const before = await snapshotDir(project.generatedDir);
    await mutate(project);
    const message = await failure(project);
    for (const fragmentOfMessage of expected) expect(message).toContain(fragmentOfMessage);
    expect(await snapshotDir(project.generatedDir)).toEqual(before);
  });

  it("reports every join conflict of a run at once, each with both locations and what to do", async () => {
    // other.yaml: list-secrets' operationId on another path (duplicate operationId) and a
    // different SecretResponse (component conflict with delete-secret, the first to declare it).
    await cloneList("other.yaml", otherSecretResponse)(project);
    const message = await failure(project);
    expect(message).toContain("join of spec/fragments/: 2 conflicts");
    const blocks = message.split("\n").filter((l) => /^ {4}\S/.test(l));
    expect(blocks).toEqual([
      expect.stringContaining("duplicate operationId `handle_list_secrets_v3_organizations__org_id__secrets_get`"),
      expect.stringContaining("operationIds must be unique"),
      expect.stringContaining("component `schemas/SecretResponse` differs"),
      expect.stringContaining("Re-import both pages"),
    ]);
    expect(message).toMatch(/^spec\/fragments\/handle-list-secrets\.yaml:\d+:\d+ \(at #\/paths\/.*\/operationId\)$/m);
    expect(message).toMatch(
      /^spec\/fragments\/handle-delete-secret\.yaml:\d+:\d+ \(at #\/components\/schemas\/SecretResponse\)$/m,
    );
    expect(message.match(/^spec\/fragments\/other\.yaml:\d+:\d+/gm)).toHaveLength(2);
  });

  it("exits non-zero from the command line and prints the location", async () => {
    const before = await snapshotDir(project.generatedDir);
    await edit(fragment(project, LIST), (t) => `${t}broken: [unclosed\n`);
    const run = await runScript("generate.ts", ["--root", project.root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: spec/fragments/${LIST}:\\d+:\\d+`));
    expect(await snapshotDir(project.generatedDir)).toEqual(before);
  });
});

describe("the command line", () => {
  it.each([
    ["an unknown flag", "generate.ts", ["--colour"], "Unknown option '--colour'"],
    ["a missing git ref", "spec-diff.ts", [], "expected 1 argument, got none"],
    [
      "a --fail-on level that does not exist",
      "spec-diff.ts",
      ["HEAD", "--fail-on", "huge"],
      '--fail-on takes major, minor or patch, not "huge"',
    ],
    ["spec:import without pages", "spec-import.ts", [], "expected at least 1 argument"],
  ])("rejects %s with what is wrong and the usage", async (_, script, args, expected) => {
    const run = await runScript(script, args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: command line: `);
    expect(run.stderr).toContain(expected);
    expect(run.stderr).toMatch(/^ {2}Usage: npm run /m);
  });

  it("prints a bug's stack and says it is a bug", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'paths')");
    const printed = formatFailure(bug);
    expect(printed).toContain("this is a bug in scripts/, not a problem in your spec");
    expect(printed).toContain("TypeError: Cannot read properties of undefined (reading 'paths')");
    expect(printed).toMatch(/^ {4}at /m);
    expect(printed).toMatch(/Report it with the command you ran/);
  });
});
