import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../scripts/lib/commands.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/lib/pipeline-error.ts";
import type { ProjectLayout } from "../../scripts/lib/project.ts";
import { copyProject, FIXTURES, runScript, snapshotDir } from "./helpers.ts";

const LIST = "handle-list-service-user-api-keys.yaml";
const LIST_PATH = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys:";

type Mutation = (p: ProjectLayout) => Promise<void>;

const edit = async (file: string, change: (text: string) => string) => {
  const before = await readFile(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`test setup: the edit did not change ${file}`);
  await writeFile(file, after);
};
const fragment = (p: ProjectLayout, name: string) => path.join(p.fragmentsDir, name);
/** A second fragment made from the list page with another path (and whatever else `change` does). */
const cloneList = (name: string, change: (text: string) => string) => async (p: ProjectLayout) => {
  const text = (await readFile(fragment(p, LIST), "utf8")).replace(
    LIST_PATH,
    "/v3beta1/enterprise/service-users/{service_user_id}/other:",
  );
  await writeFile(fragment(p, name), change(text));
};

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
    "a $ref that resolves to nothing",
    (p) => edit(fragment(p, LIST), (t) => t.replace("schemas/PaginatedResponse_ApiKeyResponse_'", "schemas/Missing'")),
    ["no-unresolved-refs", `spec/fragments/${LIST}:`],
  ],
  [
    "a shared component whose content differs between fragments",
    cloneList("other.yaml", (t) =>
      t
        .replace(/operationId: >-\n\s+handle_list\S+/, "operationId: other_get")
        .replace("Gemeinsames Antwortmodell", "Anderes Antwortmodell"),
    ),
    [
      "component `schemas/ApiKeyResponse` differs",
      `spec/fragments/${LIST}:`,
      "spec/fragments/other.yaml:",
      "#/components/schemas/ApiKeyResponse",
    ],
  ],
  [
    "two fragments with the same operationId",
    cloneList("other.yaml", (t) => t),
    ["duplicate operationId", `spec/fragments/${LIST}:`, "spec/fragments/other.yaml:"],
  ],
  [
    "two fragments declaring the same operation",
    (p) => copyFile(fragment(p, LIST), fragment(p, "copy.yaml")),
    ["declared by two fragments", "spec/fragments/copy.yaml:", `spec/fragments/${LIST}:`],
  ],
  [
    "a YAML file in spec/fragments/ that is neither a fragment nor referenced",
    (p) => writeFile(fragment(p, "notes.yaml"), "title: Notizen\n"),
    ["spec/fragments/notes.yaml:1", "not a fragment"],
  ],
  [
    "an overlay action whose target matches nothing",
    (p) =>
      writeFile(
        path.join(p.overlaysDir, "50-stale.yaml"),
        "overlay: 1.0.0\ninfo:\n  title: veraltet\n  version: 1.0.0\nactions:\n  - target: $.paths['/v3beta1/gone'].get\n    update:\n      summary: weg\n",
      ),
    ["stale overlay", "spec/overlays/50-stale.yaml:6:", "$.paths['/v3beta1/gone'].get matches nothing"],
  ],
  [
    "an overlay without actions",
    (p) =>
      writeFile(path.join(p.overlaysDir, "50-empty.yaml"), "overlay: 1.0.0\ninfo:\n  title: leer\n  version: 1.0.0\n"),
    ["spec/overlays/50-empty.yaml:", "actions"],
  ],
];

describe("a failed generate", () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeEach(async () => {
    project = await copyProject();
  });
  afterEach(() => project.cleanup());

  it.each(cases)("reports %s with its location and leaves generated/ byte-identical", async (_, mutate, expected) => {
    const before = await snapshotDir(project.generatedDir);
    await mutate(project);
    const error = await generate(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
    const message = formatPipelineError(error as never);
    for (const fragmentOfMessage of expected) expect(message).toContain(fragmentOfMessage);
    expect(await snapshotDir(project.generatedDir)).toEqual(before);
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
