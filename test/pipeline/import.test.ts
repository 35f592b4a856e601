import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPages } from "../../scripts/import/import-pages.ts";
import { formatPipelineError, isPipelineError } from "../../scripts/shared/pipeline-error.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { FIXTURES, REPO } from "./helpers.ts";

const REVOKE_PAGE = path.join(FIXTURES, "pages", "revoke-api-key.md");
const LIST_PAGE = path.join(FIXTURES, "pages", "list-api-keys.md");

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPipelineError(error)) throw new Error(`expected a PipelineError, got ${String(error)}`);
  return formatPipelineError(error);
}

describe("spec:import", () => {
  let dir: string;
  let fragments: string;
  let layout: ProjectLayout;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-import-"));
    layout = projectLayout(dir);
    fragments = layout.fragmentsDir;
    await mkdir(fragments, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const page = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it("writes one fragment per operation, named after it, with the YAML exactly as published", async () => {
    const results = await importPages([REVOKE_PAGE, LIST_PAGE], layout, dir);
    expect(results.map((r) => [path.basename(r.fragment), r.outcome])).toEqual([
      ["handle-revoke-service-user-api-key.yaml", "created"],
      ["handle-list-service-user-api-keys.yaml", "created"],
    ]);
    const pageText = await readFile(REVOKE_PAGE, "utf8");
    const fragment = await readFile(path.join(fragments, "handle-revoke-service-user-api-key.yaml"), "utf8");
    expect(pageText).toContain(fragment);
    expect(fragment.startsWith("openapi: 3.1.0\n")).toBe(true);
  });

  it("documented endpoints: importing their pages gives the fragments committed in spec/", async () => {
    await importPages([REVOKE_PAGE, LIST_PAGE], layout, dir);
    for (const name of await readdir(fragments)) {
      expect(await readFile(path.join(fragments, name), "utf8")).toBe(
        await readFile(path.join(REPO, "spec", "fragments", name), "utf8"),
      );
    }
  });

  it("changes nothing when the same page is imported twice", async () => {
    await importPages([REVOKE_PAGE], layout, dir);
    const before = await readFile(path.join(fragments, "handle-revoke-service-user-api-key.yaml"), "utf8");
    const again = await importPages([REVOKE_PAGE], layout, dir);
    expect(again.map((r) => r.outcome)).toEqual(["unchanged"]);
    expect(await readFile(path.join(fragments, "handle-revoke-service-user-api-key.yaml"), "utf8")).toBe(before);
    expect(await readdir(fragments)).toEqual(["handle-revoke-service-user-api-key.yaml"]);
  });

  it("leaves a CRLF checkout of the same fragment alone (git core.autocrlf)", async () => {
    await importPages([REVOKE_PAGE], layout, dir);
    const file = path.join(fragments, "handle-revoke-service-user-api-key.yaml");
    const crlf = (await readFile(file, "utf8")).replace(/\n/g, "\r\n");
    await writeFile(file, crlf);
    const again = await importPages([REVOKE_PAGE], layout, dir);
    expect(again.map((r) => r.outcome)).toEqual(["unchanged"]);
    expect(await readFile(file, "utf8")).toBe(crlf);
  });

  it("updates the fragment when the page changed", async () => {
    await importPages([REVOKE_PAGE], layout, dir);
    const edited = (await readFile(REVOKE_PAGE, "utf8")).replace("Erfolgreiche Antwort", "Erfolgreich widerrufen");
    const results = await importPages([await page("edited.md", edited)], layout, dir);
    expect(results.map((r) => r.outcome)).toEqual(["updated"]);
    expect(await readFile(path.join(fragments, "handle-revoke-service-user-api-key.yaml"), "utf8")).toContain(
      "Erfolgreich widerrufen",
    );
  });

  it("replaces the old file when the operationId of an operation changed", async () => {
    await importPages([REVOKE_PAGE], layout, dir);
    const renamed = (await readFile(REVOKE_PAGE, "utf8")).replace(
      "handle_revoke_service_user_api_key_v3beta1",
      "revoke_key_v3beta1",
    );
    const [result] = await importPages([await page("renamed.md", renamed)], layout, dir);
    expect(result?.outcome).toBe("renamed");
    expect(await readdir(fragments)).toEqual(["revoke-key.yaml"]);
  });

  it.each([
    ["a page without an OpenAPI block", "empty.md", "# Titel\n\nNur Prosa.\n", ["no OpenAPI block found", "empty.md"]],
    [
      "a page with two OpenAPI blocks",
      "two.md",
      "```yaml a\nopenapi: 3.1.0\n```\n\ntext\n\n````yaml b\nopenapi: 3.1.0\n````\n",
      ["2 OpenAPI blocks found", "two.md:1", "two.md:7"],
    ],
    [
      "a block whose YAML is invalid, by its line in the page",
      "broken.md",
      "intro\n\n```yaml\nopenapi: 3.1.0\nopenapi: 3.0.0\n```\n",
      ["invalid YAML", "Map keys must be unique", "broken.md:5:1"],
    ],
    [
      "a block with more than one operation",
      "many.md",
      "```yaml\nopenapi: 3.1.0\npaths:\n  /a:\n    get: {}\n    post: {}\n```\n",
      ["exactly one operation, found 2", "GET /a, POST /a"],
    ],
  ])("rejects %s with a clear error", async (_, name, text, expected) => {
    const message = await failure(importPages([await page(name, text)], layout, dir));
    for (const part of expected) expect(message).toContain(part);
  });

  it("rejects a page whose fence announces another operation than its YAML declares", async () => {
    const text = (await readFile(REVOKE_PAGE, "utf8")).replace(
      "yaml de/v3-openapi.yaml DELETE",
      "yaml de/v3-openapi.yaml GET",
    );
    const message = await failure(importPages([await page("liar.md", text)], layout, dir));
    expect(message).toContain("the fence announces GET");
  });

  it("imports nothing when one of several pages is bad", async () => {
    const bad = await page("empty.md", "no block here\n");
    await failure(importPages([REVOKE_PAGE, bad], layout, dir));
    expect(await readdir(fragments)).toEqual([]);
  });
});
