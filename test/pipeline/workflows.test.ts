import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lintWorkflows } from "../../scripts/gate/workflows.ts";

const WORKFLOWS = path.resolve(import.meta.dirname, "../../.github/workflows");
const read = (name: string) => readFile(path.join(WORKFLOWS, name), "utf8");

interface Job {
  permissions?: Record<string, string>;
  steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

describe("the workflow linter", () => {
  it.each(["ci.yml", "docs-sync.yml"])("finds nothing in %s", async (name) => {
    expect(await lintWorkflows([{ name, text: await read(name) }])).toEqual([]);
  });

  it("reports an unknown event, a job without runs-on and an undefined context, with their lines", async () => {
    const expression = ["$", "{{ foo.bar }}"].join(""); // an Actions expression, not a JS template
    const broken = ["on: pushy", "jobs:", "  a:", "    steps:", `      - run: echo ${expression}`, ""].join("\n");
    const findings = await lintWorkflows([{ name: "broken.yml", text: broken }]);
    expect(findings.map((f) => [f.file, f.line, f.kind])).toEqual([
      ["broken.yml", 1, "events"],
      ["broken.yml", 3, "syntax-check"],
      ["broken.yml", 5, "expression"],
    ]);
  });
});

describe("docs-sync.yml", () => {
  const load = async () => parse(await read("docs-sync.yml")) as Workflow;

  it("runs daily and on manual dispatch", async () => {
    const { on } = await load();
    expect(Object.keys(on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  });

  it("grants nothing by default, and write access only to the job that runs no npm code", async () => {
    const { permissions, jobs } = await load();
    expect(permissions).toEqual({});
    expect(jobs.pull?.permissions).toEqual({ contents: "read" });
    expect(jobs.propose?.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    const proposeRuns = (jobs.propose?.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(proposeRuns).not.toMatch(/\bnpm\b|\bnpx\b|\bnode\b/);
    // The job that can push checks the artifact before it commits anything.
    expect(proposeRuns).toContain("bash scripts/sync/apply-proposal.sh");
    const checkout = jobs.pull?.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toEqual({
      ref: ["$", "{{ github.event.repository.default_branch }}"].join(""),
      "persist-credentials": false,
    });
  });

  it("pulls, regenerates, then makes the proposal (patch, title, body) from the change report", async () => {
    const runs = ((await load()).jobs.pull?.steps ?? []).map((s) => s.run ?? "");
    const order = ["npm ci", "npm run spec:pull", "npm run generate", "npm run --silent sync:proposal"];
    const at = order.map((needle) => runs.findIndex((r) => r.includes(needle)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
