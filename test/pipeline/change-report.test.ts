import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { generate } from "../../scripts/build/pipeline.ts";
import { compareBundles } from "../../scripts/gate/change-report.ts";
import { check } from "../../scripts/gate/drift.ts";
import { formatBundleChanges } from "../../scripts/gate/report-format.ts";
import { specDiff } from "../../scripts/gate/spec-diff.ts";
import { copyFixtureProject, edit, FIXTURE, FIXTURE_PROJECT, runScript, type TempProject } from "./helpers.ts";

const LIST = FIXTURE.listSecrets.path;
const DELETE = FIXTURE.deleteSecret.path;
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, mutated freely by each case
type Bundle = Record<string, any>;

let baseText: string;
const mutated = (change: (bundle: Bundle) => void) => {
  const bundle = parse(baseText) as Bundle;
  change(bundle);
  return stringify(bundle);
};
const unrelatedSchema = { type: "object", properties: { widget_id: { type: "string" } } };

describe("the change report rates each change for users of the typed client", () => {
  beforeAll(async () => {
    baseText = await readFile(path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml"), "utf8");
  });

  it.each<[string, (b: Bundle) => void, string]>([
    [
      "adding an operation rates minor",
      (b) => {
        b.paths["/v3/organizations/{org_id}/widgets"] = {
          get: { operationId: "list_widgets", responses: { 200: { description: "ok" } } },
        };
      },
      "minor",
    ],
    [
      "removing a response field rates major",
      (b) => {
        delete b.components.schemas.PaginatedResponse_SecretResponse_.properties.total;
      },
      "major",
    ],
    [
      "a description edit rates patch",
      (b) => {
        b.paths[LIST].get.description = "Secrets auflisten.";
      },
      "patch",
    ],
    [
      "adding an optional query parameter rates minor",
      (b) => {
        b.paths[LIST].get.parameters.push({ in: "query", name: "name", required: false, schema: { type: "string" } });
      },
      "minor",
    ],
  ])("%s", async (_, change, bump) => {
    const report = await compareBundles(baseText, mutated(change));
    expect(report.bump).toBe(bump);
    expect(report.changes.length).toBeGreaterThan(0);
  });

  it("rates removing a required parameter major", async () => {
    const withRequired = mutated((b) => {
      b.paths[LIST].get.parameters.push({ in: "query", name: "owner", required: true, schema: { type: "string" } });
    });
    const report = await compareBundles(withRequired, baseText);
    expect(report.bump).toBe("major");
    expect(report.changes).toEqual([
      expect.objectContaining({
        impact: "major",
        kind: "removed",
        subject: `GET ${LIST}`,
        message: expect.stringContaining("owner"),
      }),
    ]);
  });

  it("rates a renamed operation (a new operationId, so a new method name) major", async () => {
    const report = await compareBundles(
      baseText,
      mutated((b) => {
        b.paths[LIST].get.operationId = "handle_list_all_secrets_v3_organizations__org_id__secrets_get";
      }),
    );
    expect(report.bump).toBe("major");
    expect(report.changes).toEqual([
      expect.objectContaining({
        impact: "major",
        subject: `GET ${LIST}`,
        message: expect.stringMatching(/operationId/i),
      }),
    ]);
  });

  it("rates a removed component schema major, by its name", async () => {
    const withWidget = mutated((b) => {
      b.components.schemas.Widget = unrelatedSchema;
    });
    const report = await compareBundles(withWidget, baseText);
    expect(report.bump).toBe("major");
    expect(report.changes).toEqual([
      expect.objectContaining({ impact: "major", kind: "removed", subject: "components/schemas/Widget", where: "" }),
    ]);
  });

  it("rates an added component schema minor, by its name", async () => {
    const report = await compareBundles(
      baseText,
      mutated((b) => {
        b.components.schemas.Widget = unrelatedSchema;
      }),
    );
    expect(report.bump).toBe("minor");
    expect(report.changes).toEqual([
      expect.objectContaining({ impact: "minor", kind: "added", subject: "components/schemas/Widget", where: "" }),
    ]);
  });

  it("never pairs a removed schema with an unrelated added one", async () => {
    // Redocly pairs them by position ("Widget properties/session_id removed", patch).
    const before = mutated((b) => {
      b.components.schemas.Widget = unrelatedSchema;
    });
    const after = mutated((b) => {
      b.components.schemas.Gadget = { type: "object", properties: { gadget_id: { type: "integer" } } };
    });
    const report = await compareBundles(before, after);
    expect(report.changes.map((c) => [c.impact, c.kind, c.subject, c.where])).toEqual([
      ["major", "removed", "components/schemas/Widget", ""],
      ["minor", "added", "components/schemas/Gadget", ""],
    ]);
  });

  it("rates a removed operation major, by its method and path", async () => {
    const report = await compareBundles(
      baseText,
      mutated((b) => {
        delete b.paths[DELETE].delete;
      }),
    );
    expect(report.bump).toBe("major");
    expect(report.changes).toEqual([
      expect.objectContaining({
        impact: "major",
        kind: "removed",
        subject: `DELETE ${DELETE}`,
        message: expect.stringContaining("handle_delete_secret_v3_organizations__org_id__secrets__secret_id__delete"),
      }),
    ]);
  });

  it("rates a removed path, with its operations, major once per operation", async () => {
    const report = await compareBundles(
      baseText,
      mutated((b) => {
        delete b.paths[DELETE];
      }),
    );
    expect(report.changes.map((c) => [c.impact, c.kind, c.subject])).toEqual([
      ["major", "removed", `GET ${DELETE}`],
      ["major", "removed", `DELETE ${DELETE}`],
    ]);
  });

  it("reports nothing for identical bundles", async () => {
    expect(await compareBundles(baseText, baseText)).toEqual({
      bump: "none",
      counts: { major: 0, minor: 0, patch: 0 },
      changes: [],
    });
  });
});

describe("generate, check and spec:diff show the report", () => {
  let project: TempProject;
  const editDescription = () =>
    edit(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), (t) =>
      t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"),
    );
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it("generate rates the change against the bundle it replaces", async () => {
    await editDescription();
    const result = await generate(project);
    expect(result.changes?.report.bump).toBe("patch");
    expect(result.changes?.report.changes[0]?.subject).toBe(`GET ${LIST}`);
  });

  it("generate reports nothing when the bundle did not change", async () => {
    expect((await generate(project)).changes).toBeUndefined();
  });

  it("the drift gate's failure includes the report", async () => {
    await editDescription();
    const { changes } = await check(project);
    expect(changes?.report.bump).toBe("patch");
    // What `npm run check` prints under the drift listing (its CLI run is the markdown case below).
    expect(changes && formatBundleChanges(changes, "text")).toContain(
      "API changes (generated/devin-api.yaml → spec/): PATCH",
    );
  });

  it("spec:diff rates the change against a git revision and can fail on a level", async () => {
    const git = (...args: string[]) => promisify(execFile)("git", args, { cwd: project.root });
    await git("init", "-q");
    await git("add", "-A");
    await git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base");
    await editDescription();
    // Two runs of the real command: the text report, and the summary line with --fail-on.
    const run = await runScript("spec-diff.ts", ["HEAD", "--root", project.root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("API changes (generated/devin-api.yaml at HEAD → spec/): PATCH");
    const summary = await runScript("spec-diff.ts", [
      "HEAD",
      "--root",
      project.root,
      "--format",
      "summary",
      "--fail-on",
      "patch",
    ]);
    expect(summary).toMatchObject({ code: 1, stdout: "PATCH, 1 documentation change\n" });
    await expect(specDiff(project, "no-such-ref")).rejects.toThrow(
      "no generated/devin-api.yaml at git revision `no-such-ref`",
    );
  });

  it("check --format markdown prints the report alone on stdout, the drift listing on stderr", async () => {
    await editDescription();
    const run = await runScript("check.ts", ["--root", project.root, "--format", "markdown"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^## API changes: PATCH for users of the typed client\n/);
    expect(run.stdout).toContain(`| modified | \`GET ${LIST}\` |  | description modified |`);
    expect(run.stderr).toContain("generated/devin-api.yaml: differs from what spec/ generates");
    expect(run.stderr).not.toContain("API changes");
  });

  it("generate --format summary prints the summary line alone on stdout", async () => {
    await editDescription();
    const run = await runScript("generate.ts", ["--root", project.root, "--format", "summary"]);
    expect(run).toMatchObject({ code: 0, stdout: "PATCH, 1 documentation change\n" });
    expect(run.stderr).toMatch(/^generated generated\/ from 5 fragments/m);
  });
});
