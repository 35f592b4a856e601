/**
 * The parts of spec:import one by one, called in-process: the fence parser that finds a page's
 * OpenAPI block, the fragment's name and single operation, the fence/YAML agreement, duplicate
 * pages, and the fragments already in spec/fragments/. import.test.ts and
 * import-collisions.test.ts cover the command as a whole.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readExistingFragments } from "../../scripts/import/existing-fragments.ts";
import { extractOpenApiBlock } from "../../scripts/import/extract-openapi-block.ts";
import { fragmentFileName, singleOperation } from "../../scripts/import/fragment-name.ts";
import { importPages } from "../../scripts/import/import-pages.ts";
import { duplicatePages, type PlannedFragment, planFragment } from "../../scripts/import/plan-fragment.ts";
import type { OperationRef } from "../../scripts/shared/openapi.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { FIXTURES, pipelineErrorOf, pipelineRejectionOf } from "./helpers.ts";

const REVOKE_PAGE = path.join(FIXTURES, "pages", "revoke-api-key.md");

/** A one-operation OpenAPI document, as the docs embed it. */
const fragment = (method = "get", route = "/v3/items", operationId = "list_items") =>
  `openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  ${route}:\n    ${method}:\n      operationId: ${operationId}\n      responses: {}\n`;

describe("extractOpenApiBlock", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("reads a page with %s line ends, giving the block with LF and its first line", (_, eol) => {
    const page = ["# Title", "", "```yaml", "openapi: 3.1.0", "paths: {}", "```", ""].join(eol);
    expect(extractOpenApiBlock(page, "p.md")).toEqual({ text: "openapi: 3.1.0\npaths: {}\n", info: "", firstLine: 4 });
  });

  it.each([
    ["a four-backtick fence with the docs' info string", "````yaml de/v3-openapi.yaml GET /a", "````"],
    ["a tilde fence", "~~~yaml", "~~~"],
    ["an opening fence indented by three spaces", "   ```yaml", "```"],
    ["a closing fence longer than the opening one", "```yaml", "``````"],
    ["a closing fence indented, with trailing spaces", "```yaml", "   ```  "],
    ["`yml` as the language", "```yml", "```"],
    ["a space between fence and language", "``` yaml", "```"],
  ])("finds the block in %s", (_, open, close) => {
    const block = extractOpenApiBlock(`intro\n\n${open}\nopenapi: 3.1.0\n${close}\n`, "p.md");
    expect(block.text).toBe("openapi: 3.1.0\n");
    expect(block.firstLine).toBe(4);
  });

  it("gives the info string after the language with its words single-spaced", () => {
    const block = extractOpenApiBlock("````yaml  de/v3-openapi.yaml \t DELETE   /a  \nopenapi: 3.1.0\n````\n", "p.md");
    expect(block.info).toBe("de/v3-openapi.yaml DELETE /a");
  });

  it.each([
    ["a shorter backtick fence", "````yaml", "```\nmore: x", "````", "openapi: 3.1.0\n```\nmore: x\n"],
    ["a fence of the other character", "~~~yaml", "```\nmore: x", "~~~", "openapi: 3.1.0\n```\nmore: x\n"],
    ["a fence with an info string", "```yaml", "```yaml\nmore: x", "```", "openapi: 3.1.0\n```yaml\nmore: x\n"],
    ["a fence indented by four spaces", "```yaml", "    ```\nmore: x", "```", "openapi: 3.1.0\n    ```\nmore: x\n"],
  ])("does not close the block at %s", (_, open, inside, close, text) => {
    expect(extractOpenApiBlock(`${open}\nopenapi: 3.1.0\n${inside}\n${close}\n`, "p.md").text).toBe(text);
  });

  it("takes a block left open at the end of the page to the end of the page", () => {
    expect(extractOpenApiBlock("text\n```yaml\nopenapi: 3.1.0\npaths: {}", "p.md")).toEqual({
      text: "openapi: 3.1.0\npaths: {}\n",
      info: "",
      firstLine: 3,
    });
  });

  it("finds a block that opens right after the closing fence of another", () => {
    const page = "```\nnpm install\n```\n```yaml\nopenapi: 3.1.0\n```\n";
    expect(extractOpenApiBlock(page, "p.md")).toEqual({ text: "openapi: 3.1.0\n", info: "", firstLine: 5 });
  });

  it("keeps an empty block whose info string names the OpenAPI file empty", () => {
    expect(extractOpenApiBlock("```yaml de/v3-openapi.yaml\n```\n", "p.md")).toEqual({
      text: "",
      info: "de/v3-openapi.yaml",
      firstLine: 2,
    });
  });

  // Each page holds the OpenAPI block at line 2 after one block that must be skipped: a second
  // block found would make the page fail with "2 OpenAPI blocks found".
  it.each([
    ["a yaml block that is not OpenAPI", "```yaml\nname: ci\n```"],
    ["a yaml block that mentions openapi: 3 below the top level", "```yaml\nexample:\n  openapi: 3.1.0\n```"],
    ["a yaml block naming a file that is not openapi.yaml", "```yaml openapi.yaml.bak\nname: x\n```"],
    ["an OpenAPI document in another language", "```text\nopenapi: 3.1.0\n```"],
    ["an OpenAPI document in a fence without a language", "```\nopenapi: 3.1.0\n```"],
  ])("skips %s", (_, skipped) => {
    const page = `\`\`\`yaml\nopenapi: 3.1.0\n\`\`\`\n${skipped}\n`;
    expect(extractOpenApiBlock(page, "p.md")).toEqual({ text: "openapi: 3.1.0\n", info: "", firstLine: 2 });
  });

  it.each([
    ["openapi: 3.0.3", "```yaml"],
    ["openapi: '3.1.0'", "```yaml"],
    ['openapi:   "3.1.0"', "```yaml"],
    ["# the spec\nopenapi: 3.1.0", "```yaml"],
    ["# no version line", "```yaml de/v3-openapi.yaml"],
    ["# no version line", "```yaml spec/OpenAPI.yml"],
  ])("takes a yaml block holding `%s` after `%s` as the OpenAPI block", (body, open) => {
    expect(extractOpenApiBlock(`${open}\n${body}\n\`\`\`\n`, "p.md").text).toBe(`${body}\n`);
  });

  it.each([["openapi: 2.0"], ["swagger: '2.0'"]])("finds no OpenAPI block in a yaml block holding `%s`", (body) => {
    const error = pipelineErrorOf(() => extractOpenApiBlock(`\`\`\`yaml\n${body}\n\`\`\`\n`, "p.md"));
    expect(error.message).toMatch(/^no OpenAPI block found/);
    expect(error.locations).toEqual([{ file: "p.md" }]);
  });
});

describe("singleOperation", () => {
  it.each([
    ["nothing", undefined],
    ["a list", ["openapi: 3.1.0"]],
    ["a mapping without openapi", { swagger: "2.0", paths: {} }],
    ["a version that is a number", { openapi: 3.1, paths: {} }],
    ["an OpenAPI 2 version", { openapi: "2.0", paths: {} }],
  ])("refuses %s as not an OpenAPI 3 document, naming the file and what to do", (_, doc) => {
    const error = pipelineErrorOf(() => singleOperation(doc, "page.md"));
    expect(error.message).toContain("not an OpenAPI 3.x document");
    expect(error.locations).toEqual([{ file: "page.md" }]);
    expect(error.hint).toContain("openapi: 3.1.0");
  });

  it("refuses a document without operations, pointing at its paths", () => {
    const error = pipelineErrorOf(() => singleOperation({ openapi: "3.1.0", paths: {} }, "page.md"));
    expect(error.message).toBe("a fragment must declare exactly one operation, found 0");
    expect(error.locations).toEqual([{ file: "page.md", pointer: "#/paths" }]);
  });

  it("gives the one operation of an OpenAPI 3 document", () => {
    const doc = { openapi: "3.0.3", paths: { "/a": { put: { operationId: "put_a" } } } };
    expect(singleOperation(doc, "page.md")).toEqual({ method: "put", path: "/a", operationId: "put_a" });
  });
});

describe("fragmentFileName", () => {
  const op = (operationId: string): OperationRef => ({ method: "get", path: "/x", operationId });

  it.each([
    ["getEnterpriseServiceUserApiKeys", "get-enterprise-service-user-api-keys.yaml"],
    ["getV2Keys", "get-v2-keys.yaml"],
    ["list_v2.Keys", "list-v2-keys.yaml"],
    ["list__v2.-Keys", "list-v2-keys.yaml"],
    ["__list keys!_", "list-keys.yaml"],
    ["__", "operation.yaml"],
  ])("names the fragment of operationId %s %s", (operationId, name) => {
    expect(fragmentFileName(op(operationId))).toBe(name);
  });
});

describe("planFragment", () => {
  const layout = projectLayout(path.join(tmpdir(), "devin-plan-unused"));
  const page = (info: string, method = "get") => `# Items\n\n\`\`\`\`yaml${info}\n${fragment(method)}\`\`\`\`\n`;

  it.each([
    ["no info string", ""],
    ["only the spec file", " de/v3-openapi.yaml"],
    ["the spec file and a method, no path", " de/v3-openapi.yaml GET"],
    ["the operation, method in lower case", " de/v3-openapi.yaml get /v3/items"],
  ])("accepts a fence with %s", (_, info) => {
    expect(planFragment(page(info), "items.md", layout)).toEqual({
      page: "items.md",
      op: { method: "get", path: "/v3/items", operationId: "list_items" },
      text: fragment(),
      name: "list-items.yaml",
    });
  });

  it.each([
    ["method", " de/v3-openapi.yaml POST /v3/items", "POST /v3/items"],
    ["path", " de/v3-openapi.yaml GET /v3/other", "GET /v3/other"],
  ])("refuses a fence that announces another %s than the YAML, at the fence's line", (_, info, announced) => {
    const error = pipelineErrorOf(() => planFragment(page(info), "items.md", layout));
    expect(error.message).toBe(`the fence announces ${announced} but the block declares GET /v3/items`);
    expect(error.locations).toEqual([{ file: "items.md", line: 3 }]);
  });
});

describe("duplicatePages", () => {
  const planned = (page: string, method: OperationRef["method"], route: string, name: string): PlannedFragment => ({
    page,
    op: { method, path: route, operationId: undefined },
    text: "",
    name,
  });

  it("reports a later page that declares an earlier page's operation under another name", () => {
    const pages = [
      planned("a.md", "get", "/a", "get-a.yaml"),
      planned("b.md", "post", "/b", "post-b.yaml"),
      planned("c.md", "get", "/a", "fetch-a.yaml"),
    ];
    expect(duplicatePages(pages, "drop one")).toEqual([
      {
        locations: [{ file: "a.md" }, { file: "c.md" }],
        message: "two pages declare the same operation (GET /a) or fragment name (fetch-a.yaml)",
        hint: "drop one",
      },
    ]);
  });

  it("reports nothing for pages of different operations and names", () => {
    const pages = [planned("a.md", "get", "/a", "get-a.yaml"), planned("b.md", "get", "/b", "get-b.yaml")];
    expect(duplicatePages(pages, "drop one")).toEqual([]);
  });
});

describe("fragments already in spec/fragments/", () => {
  let dir: string;
  let layout: ProjectLayout;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-import-units-"));
    layout = projectLayout(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const put = async (name: string, text: string) => {
    await mkdir(layout.fragmentsDir, { recursive: true });
    await writeFile(path.join(layout.fragmentsDir, name), text);
  };

  it("lists the *.yaml and *.yml files that are fragments, in code-point order", async () => {
    // Written in reverse, so that the folder's own order is not the answer.
    await put("z-last.yml", fragment("get", "/z", "z_last"));
    await put("m-middle.yaml", fragment("post", "/m", "m_middle"));
    await put("b-second.yaml", fragment("put", "/b", "b_second"));
    await put("a-first.yaml", fragment("delete", "/a", "a_first"));
    await put("B-upper.yaml", fragment("get", "/B", "b_upper"));
    await put("old.yaml.bak", fragment("get", "/old", "old"));
    await put("notes.txt", "not yaml\n");
    await put("shared.yaml", "components:\n  schemas: {}\n");
    await mkdir(path.join(layout.fragmentsDir, "folder.yaml"));
    const found = await readExistingFragments(layout);
    expect(found.map((f) => [f.name, f.op?.method, f.op?.path, f.problem])).toEqual([
      ["B-upper.yaml", "get", "/B", undefined],
      ["a-first.yaml", "delete", "/a", undefined],
      ["b-second.yaml", "put", "/b", undefined],
      ["m-middle.yaml", "post", "/m", undefined],
      ["z-last.yml", "get", "/z", undefined],
    ]);
    expect(found[0]?.file).toBe(path.join(layout.fragmentsDir, "B-upper.yaml"));
    expect(found[0]?.text).toBe(fragment("get", "/B", "b_upper"));
  });

  // The folder listing comes sorted by UTF-8 bytes (libuv), where U+FF21 sorts before an
  // astral character; by UTF-16 code unit, the order of every list the pipeline emits, it is after.
  it("orders names by UTF-16 code unit, not by the folder listing's UTF-8 bytes", async () => {
    await put("\uFF21.yaml", fragment("get", "/wide", "wide"));
    await put("\u{1F600}.yaml", fragment("get", "/emoji", "emoji"));
    const found = await readExistingFragments(layout);
    expect(found.map((f) => f.name)).toEqual(["\u{1F600}.yaml", "\uFF21.yaml"]);
  });

  it("lists a fragment that is a symbolic link as generate reads it, and one that leads nowhere with its problem", async () => {
    const elsewhere = path.join(path.dirname(layout.fragmentsDir), "elsewhere.yaml");
    await put("a.yaml", fragment("get", "/a", "a"));
    await writeFile(elsewhere, fragment("get", "/linked", "linked"));
    await symlink(elsewhere, path.join(layout.fragmentsDir, "b.yaml"));
    await symlink(path.join(layout.fragmentsDir, "gone.yaml"), path.join(layout.fragmentsDir, "c.yaml"));
    const found = await readExistingFragments(layout);
    expect(found.map((f) => [f.name, f.op?.path, f.problem?.message])).toEqual([
      ["a.yaml", "/a", undefined],
      ["b.yaml", "/linked", undefined],
      ["c.yaml", undefined, "cannot read spec/fragments/c.yaml: ENOENT"],
    ]);
    expect(found[2]?.problem?.locations).toEqual([{ file: "spec/fragments/c.yaml" }]);
    expect(found[2]?.problem?.hint).toBe("Make it a readable file (a symbolic link must lead to one), or delete it.");
  });

  it("takes a missing fragments folder as empty", async () => {
    expect(await readExistingFragments(layout)).toEqual([]);
  });

  it("refuses a fragments folder it cannot read, saying what to check", async () => {
    await mkdir(path.dirname(layout.fragmentsDir), { recursive: true });
    await writeFile(layout.fragmentsDir, "a file where the folder should be\n");
    const error = await pipelineRejectionOf(readExistingFragments(layout));
    expect(error.message).toBe("could not read spec/fragments/: ENOTDIR");
    expect(error.locations).toEqual([{ file: "spec/fragments" }]);
    expect(error.hint).toContain("must be a folder you can read");
  });

  it("lists a fragment that cannot be read with its problem", async () => {
    const broken = "openapi: 3.1.0\nopenapi: 3.0.0\n";
    await put("broken.yaml", broken);
    await put("two-ops.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    get: {}\n    post: {}\n");
    const [first, second, ...rest] = await readExistingFragments(layout);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ name: "broken.yaml", text: broken, op: undefined });
    expect(first?.problem?.message).toContain("invalid YAML");
    expect(first?.problem?.locations).toEqual([{ file: "spec/fragments/broken.yaml", line: 2, column: 1 }]);
    expect(second).toMatchObject({ name: "two-ops.yaml", op: undefined });
    expect(second?.problem?.message).toContain("exactly one operation, found 2");
  });
});

describe("importPages and the fragments already there", () => {
  let dir: string;
  let layout: ProjectLayout;
  let revoke: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-import-units-"));
    layout = projectLayout(dir);
    await mkdir(layout.fragmentsDir, { recursive: true });
    revoke = await readFile(REVOKE_PAGE, "utf8");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("stops at an existing fragment that cannot be read, and writes nothing", async () => {
    await writeFile(path.join(layout.fragmentsDir, "broken.yaml"), "openapi: 3.1.0\nopenapi: 3.0.0\n");
    const error = await pipelineRejectionOf(importPages([REVOKE_PAGE], layout, dir));
    expect(error.message).toContain("invalid YAML");
    expect(error.locations[0]?.file).toBe("spec/fragments/broken.yaml");
    await expect(
      readFile(path.join(layout.fragmentsDir, "handle-revoke-service-user-api-key.yaml"), "utf8"),
    ).rejects.toThrow(/ENOENT/);
  });

  it("says what to do when another operation's fragment holds the name", async () => {
    const name = "handle-revoke-service-user-api-key.yaml";
    const block = extractOpenApiBlock(revoke, "revoke.md").text;
    await writeFile(path.join(layout.fragmentsDir, name), block.replace("    delete:", "    get:"));
    const error = await pipelineRejectionOf(importPages([REVOKE_PAGE], layout, dir));
    expect(error.hint).toContain("delete the stale fragment");
  });
});
