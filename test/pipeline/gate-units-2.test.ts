/**
 * compareBundles on small hand-written bundles: what it keeps of Redocly's changes and what it
 * decides by name, for shapes the fixture project does not have (a base with no paths and no
 * components, webhooks, a component with the empty name, a change to the Paths Object itself,
 * a change with two verdicts), and how it runs `redocly diff`. Each test spawns `redocly diff`
 * once (about 1 s), so each covers several cases; gate-units.test.ts has the other in-process
 * gate tests.
 */
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type ChangeReport, compareBundles } from "../../scripts/gate/change-report.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "devin-gate-units-2-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const INFO = { title: "Widgets", version: "1.0.0" };
const ok = () => ({ 200: { description: "ok" } });

/** Sets (or, for undefined, removes) environment variables while `run` runs, then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return await run();
  } finally {
    set(saved);
  }
}

describe("compareBundles", () => {
  it("keeps a webhook's changes when their keys name an added operation or component, from a base with no paths or components", async () => {
    // A webhook named like a path, `/widgets`, whose `post` changes while the revision adds the
    // operation `POST /widgets`; one named `schemas` whose summary changes while the revision
    // adds a schema with the empty name (Redocly points at it as `#/components/schemas/`).
    // Neither is the added part: both changes stay.
    const webhook = (summary: string, description: string) => ({
      schemas: { summary },
      "/widgets": { post: { operationId: "widget_event", description, responses: ok() } },
    });
    const base = { openapi: "3.1.0", info: INFO, webhooks: webhook("Schema events", "A widget changed.") };
    const revision = {
      openapi: "3.1.0",
      info: INFO,
      paths: { "/widgets": { post: { operationId: "create_widget", responses: ok() } } },
      webhooks: webhook("Events about schemas", "A widget was created or changed."),
      // An entry of components that is not a map of components names none.
      components: { "x-note": null, schemas: { Widget: { type: "object" }, "": { type: "string" } } },
    };
    expect(await compareBundles(stringify(base), stringify(revision))).toEqual<ChangeReport>({
      bump: "minor",
      counts: { major: 0, minor: 3, patch: 3 },
      changes: [
        // Redocly's `#/components` added is kept; its `#/paths` added is left to the operations.
        { impact: "patch", kind: "added", subject: "components", where: "", message: "added" },
        { impact: "patch", kind: "modified", subject: "webhooks/schemas", where: "", message: "summary modified" },
        {
          impact: "patch",
          kind: "modified",
          subject: "webhooks//widgets/post",
          where: "",
          message: "description modified",
        },
        {
          impact: "minor",
          kind: "added",
          subject: "components/schemas/Widget",
          where: "",
          message: "component `schemas/Widget` was added.",
        },
        {
          impact: "minor",
          kind: "added",
          subject: "components/schemas/",
          where: "",
          message: "component `schemas/` was added.",
        },
        {
          impact: "minor",
          kind: "added",
          subject: "POST /widgets",
          where: "",
          message: "operation `create_widget` was added.",
        },
      ],
    });
  });

  it("runs redocly diff in a temp folder of its own with the update notice and telemetry off, and removes the folder", async () => {
    // A preload script records, for each Node process started with it, the folder it runs in
    // and the two variables; TMPDIR points os.tmpdir() at a folder of this test.
    const tmp = path.join(dir, "tmp");
    await mkdir(tmp);
    const record = path.join(dir, "children.jsonl");
    const preload = path.join(dir, "record-child.cjs");
    await writeFile(
      preload,
      `require("node:fs").appendFileSync(${JSON.stringify(record)}, JSON.stringify({
  cwd: process.cwd(),
  notice: process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE ?? null,
  telemetry: process.env.REDOCLY_TELEMETRY ?? null,
}) + "\\n");\n`,
    );
    // The bundles: a type change in a schema that both the request and the response use (two
    // verdicts, one message), a vendor extension of the Paths Object (kept as `paths` when the
    // route `""` is in both), and a schema with the empty name added (decided by name, so
    // Redocly's `#/components/schemas/` added is dropped).
    const widget = (type: string) => ({ type: "object", properties: { size: { type } } });
    const json = () => ({ content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } } });
    const bundle = (owner: string, schemas: Record<string, unknown>) =>
      stringify({
        openapi: "3.1.0",
        info: INFO,
        paths: {
          "x-owner": owner,
          "": {},
          "/widgets": {
            post: {
              operationId: "create_widget",
              requestBody: json(),
              responses: { 200: { description: "ok", ...json() } },
            },
          },
        },
        components: { schemas },
      });
    const base = bundle("team-a", { Widget: widget("string") });
    const revision = bundle("team-b", { Widget: widget("integer"), "": { type: "string" } });

    const report = await withEnv(
      { TMPDIR: tmp, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require "${preload}"`.trim() },
      () => compareBundles(base, revision),
    );

    const children = (await readFile(record, "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { cwd: string });
    expect(children).toEqual([{ cwd: expect.any(String), notice: "true", telemetry: "off" }]);
    const [child] = children;
    expect(path.dirname(child?.cwd ?? "")).toBe(await realpath(tmp));
    expect(path.basename(child?.cwd ?? "")).toMatch(/^devin-diff-[A-Za-z0-9]{6}$/);
    expect(await readdir(tmp)).toEqual([]);

    expect(report).toEqual<ChangeReport>({
      bump: "major",
      counts: { major: 1, minor: 1, patch: 1 },
      changes: [
        { impact: "patch", kind: "modified", subject: "paths", where: "", message: "x-owner modified" },
        {
          impact: "major",
          kind: "modified",
          subject: "POST /widgets",
          where: "requestBody/content/application/json/schema/properties/size",
          message:
            "Type of `size` narrowed from 'string' to 'integer'. Type of `size` widened from 'string' to 'integer'.",
        },
        {
          impact: "minor",
          kind: "added",
          subject: "components/schemas/",
          where: "",
          message: "component `schemas/` was added.",
        },
      ],
    });
  });
});
