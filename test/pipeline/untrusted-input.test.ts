import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../scripts/build/pipeline.ts";
import { importPages } from "../../scripts/import/import-pages.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";
import { MAX_PAGE_BYTES } from "../../scripts/shared/untrusted-input.ts";
import { copyFixtureProject, DOCS_V3, edit, FIXTURE, runScript, snapshotDir, type TempProject } from "./helpers.ts";

// Docs pages are untrusted: a page (and the fragment made from it) must not make the pipeline
// read files outside spec/ or fetch URLs, nor exhaust memory. scripts/shared/untrusted-input.ts.

const LIST = FIXTURE.listSecrets.file;
const SCHEMA_REF = "'#/components/schemas/PaginatedResponse_SecretResponse_'";
const HINT = "`$ref`s may only point inside spec/: inline the schema, or put the file under spec/fragments/.";
/** What the file outside spec/ holds: it must show up nowhere. */
const SECRET = "SECRET-OUTSIDE-SPEC";

/** A local server that counts the requests it gets: a refused URL `$ref` makes none. */
let server: Server;
let hits: string[] = [];
let origin = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.setHeader("content-type", "application/yaml");
    res.end(`secret:\n  type: string\n  description: ${SECRET}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  return formatPipelineError(error as never);
}

/** spec/ and generated/ of the project, byte for byte. */
async function snapshot(p: TempProject) {
  return { spec: await snapshotDir(path.join(p.root, "spec")), generated: await snapshotDir(p.generatedDir) };
}

describe("generate refuses a $ref that leaves spec/, before anything is resolved", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
    hits = [];
    // Files outside spec/ that exist, with the secret: one in the project, one beside it.
    const yaml = `secret:\n  type: string\n  description: ${SECRET}\n`;
    await writeFile(path.join(project.root, "outside.yaml"), yaml);
    await writeFile(path.join(project.root, "..", "outside.yaml"), yaml);
  });
  afterEach(() => project.cleanup());

  const setRef = (ref: string) => edit(path.join(project.fragmentsDir, LIST), (t) => t.replace(SCHEMA_REF, `'${ref}'`));

  /** Runs generate, expecting a refusal before any stage after "load inputs" (no Redocly call). */
  async function refused(): Promise<string> {
    const before = await snapshot(project);
    const stages: string[] = [];
    const message = await failure(generate(project, { onStage: (name) => stages.push(name) }));
    expect(stages).toEqual(["load inputs"]);
    expect(message).not.toContain(SECRET);
    expect(await snapshot(project)).toEqual(before);
    return message;
  }

  const beside = () => path.join(project.root, "..", "outside.yaml");
  it.each([
    ["`..` past spec/ to a file of the project", () => "../../outside.yaml#/secret", "climbs out of spec/ with `..`"],
    ["`..` past the project", () => "../../../outside.yaml#/secret", "climbs out of spec/ with `..`"],
    ["`..` behind `#x/` (Redocly splits at `#/`)", () => "#x/../../../../outside.yaml#/secret", "climbs out of spec/"],
    ["`..` percent-encoded", () => "%2e%2e/%2e%2e/%2e%2e/outside.yaml#/secret", "climbs out of spec/"],
    ["an absolute path", () => `${beside()}#/secret`, "is an absolute path"],
    ["a file: URL", () => `file://${beside()}#/secret`, "is a URL"],
  ])("%s: named with file, line and ref, nothing read or written", async (_, makeRef, reason) => {
    const ref = makeRef();
    await setRef(ref);
    const message = await refused();
    expect(message).toContain("1 `$ref` points outside spec/");
    expect(message).toMatch(new RegExp(`^spec/fragments/${LIST}:\\d+:\\d+ \\(at #/paths/`, "m"));
    expect(message).toContain(`\`$ref: ${ref}\` ${reason}`);
    expect(message).toContain(HINT);
  });

  it("a URL: refused, and the server gets no request", async () => {
    await setRef(`${origin}/schema.yaml#/secret`);
    const message = await refused();
    expect(message).toContain(`\`$ref: ${origin}/schema.yaml#/secret\` is a URL`);
    expect(hits).toEqual([]);
  });

  it("a URL under `example` (Redocly follows it there) and in an overlay: both named, no request", async () => {
    await edit(path.join(project.fragmentsDir, LIST), (t) =>
      t.replace(
        `$ref: ${SCHEMA_REF}\n`,
        `$ref: ${SCHEMA_REF}\n              example:\n                $ref: ${origin}/example\n`,
      ),
    );
    await writeFile(
      path.join(project.overlaysDir, "50-remote.yaml"),
      "overlay: 1.0.0\ninfo:\n  title: t\n  version: 1.0.0\nactions:\n" +
        `  - target: $.components.schemas\n    update:\n      Remote:\n        $ref: ${origin}/overlay\n`,
    );
    const message = await refused();
    expect(message).toContain("2 `$ref`s point outside spec/");
    expect(message).toMatch(new RegExp(`^spec/fragments/${LIST}:\\d+:\\d+ .*/example\\)$`, "m"));
    expect(message).toMatch(/^spec\/overlays\/50-remote\.yaml:9:\d+ /m);
    expect(hits).toEqual([]);
  });

  // A YAML file in a subfolder is refused at stage 1 (load-inputs); a JSON part there is not
  // loaded by the pipeline, so only the resolver stands between its `$ref` and the disk.
  it("a $ref inside spec/ that leads out through a JSON part in a subfolder: the resolver refuses to read it", async () => {
    const sub = path.join(project.fragmentsDir, "sub");
    await mkdir(sub);
    await writeFile(path.join(sub, "a.json"), `{"x": {"$ref": "../../../../outside.yaml#/secret"}}\n`);
    await setRef("./sub/a.json#/x");
    const before = await snapshot(project);
    const message = await failure(generate(project));
    expect(message).toContain("Can't resolve $ref `./sub/a.json#/x`: refused to read ../outside.yaml");
    expect(message).toContain(`spec/fragments/${LIST}:`);
    expect(message).not.toContain(SECRET);
    expect(await snapshot(project)).toEqual(before);
  });

  it("a $ref to a symbolic link inside spec/ whose target is outside: the resolver refuses to read it", async () => {
    const sub = path.join(project.fragmentsDir, "sub");
    await mkdir(sub);
    await symlink(path.join(project.root, "..", "outside.yaml"), path.join(sub, "link.yaml"));
    await setRef("./sub/link.yaml#/secret");
    const before = await snapshot(project);
    const message = await failure(generate(project));
    expect(message).toContain(
      "Can't resolve $ref `./sub/link.yaml#/secret`: refused to read spec/fragments/sub/link.yaml",
    );
    expect(message).not.toContain(SECRET);
    expect(await snapshot(project)).toEqual(before);
  });

  it("accepts a relative $ref that stays inside spec/ (a part beside the fragments)", async () => {
    await writeFile(
      path.join(project.fragmentsDir, "shared.yaml"),
      "x:\n  type: object\n  description: Geteilt\n  properties:\n    items:\n      type: array\n",
    );
    await setRef("./shared.yaml#/x");
    await generate(project);
    expect(await readFile(project.bundleFile, "utf8")).toContain("Geteilt");
    expect(hits).toEqual([]);
  });

  it("accepts a part in a subfolder of spec/fragments/ that a fragment $refs (a multi-file spec)", async () => {
    await mkdir(path.join(project.fragmentsDir, "shared", "schemas"), { recursive: true });
    await writeFile(
      path.join(project.fragmentsDir, "shared", "schemas", "list.yml"),
      "x:\n  type: object\n  description: Im Unterordner\n  properties:\n    items:\n      type: array\n",
    );
    await setRef("./shared/schemas/list.yml#/x");
    await generate(project);
    expect(await readFile(project.bundleFile, "utf8")).toContain("Im Unterordner");
  });
});

/** Nine levels of ten aliases each: 10^9 nodes once expanded. */
const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(10).fill(`*${"abcdefghi"[i]}`).join(", ")}]`),
].join("\n");

describe("a YAML alias bomb is refused, naming the file", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
  });
  afterEach(() => project.cleanup());

  it("in spec/fragments/ at generate", async () => {
    await writeFile(path.join(project.fragmentsDir, "bomb.yaml"), `openapi: 3.1.0\n${ALIAS_BOMB}\n`);
    const before = await snapshot(project);
    const message = await failure(generate(project));
    expect(message).toMatch(/^spec\/fragments\/bomb\.yaml:3:\d+\n/);
    expect(message).toContain("YAML aliases (`*name`) expand to too much data");
    expect(await snapshot(project)).toEqual(before);
  });

  it("in a docs page at import, by its line in the page", async () => {
    const page = path.join(project.root, "..", "bomb.md");
    await writeFile(page, `# Bombe\n\n\`\`\`yaml\nopenapi: 3.1.0\n${ALIAS_BOMB}\n\`\`\`\n`);
    const before = await snapshot(project);
    const message = await failure(importPages([page], project, path.dirname(page)));
    expect(message).toMatch(/^bomb\.md:6:\d+\n/);
    expect(message).toContain("alias bomb");
    expect(await snapshot(project)).toEqual(before);
  });
});

describe("spec:import refuses an untrusted page", () => {
  let project: TempProject;
  let dir: string;
  beforeEach(async () => {
    project = await copyFixtureProject();
    dir = path.join(project.root, "..");
    hits = [];
  });
  afterEach(() => project.cleanup());

  const pageWithRef = async (ref: string) => {
    const text = (await readFile(path.join(DOCS_V3, "list-secrets.md"), "utf8")).replace(SCHEMA_REF, `'${ref}'`);
    const page = path.join(dir, "page.md");
    await writeFile(page, text);
    return page;
  };

  it.each([
    ["`..` past spec/", "../../outside.yaml#/secret", "climbs out of spec/ with `..`"],
    ["a URL", "http://127.0.0.1:9/x.yaml", "is a URL"],
    ["an absolute path", "/etc/hostname", "is an absolute path"],
  ])("whose $ref is %s, naming the page, its line and the ref; spec/ unchanged", async (_, ref, reason) => {
    const page = await pageWithRef(ref);
    const before = await snapshot(project);
    const message = await failure(importPages([page], project, dir));
    expect(message).toMatch(/^page\.md:76:\d+ \(at #\/paths\//m);
    expect(message).toContain(`\`$ref: ${ref}\` ${reason}`);
    expect(message).toContain(HINT);
    expect(await snapshot(project)).toEqual(before);
  });

  it("accepts a $ref that stays inside spec/ once the page is stored in spec/fragments/", async () => {
    const [result] = await importPages([await pageWithRef("./shared.yaml#/x")], project, dir);
    expect(result?.outcome).toBe("updated");
  });

  it(`over ${MAX_PAGE_BYTES / 1024 / 1024} MiB, naming the page and the limit, from the command line too`, async () => {
    const page = path.join(dir, "huge.md");
    const text = await readFile(path.join(DOCS_V3, "list-secrets.md"), "utf8");
    await writeFile(page, `${text}\n${"x".repeat(MAX_PAGE_BYTES)}\n`);
    const before = await snapshot(project);
    const message = await failure(importPages([page], project, dir));
    expect(message).toContain("huge.md\n");
    expect(message).toContain("larger than 5 MiB (5242880 bytes)");
    const run = await runScript("spec-import.ts", [page, "--root", project.root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: \S*huge\.md\n {2}the page is larger than 5 MiB/);
    expect(await snapshot(project)).toEqual(before);
  });
});
