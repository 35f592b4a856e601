/**
 * spec:import when pages collide: two pages for one operation (or one fragment name) on the same
 * command line, and a page whose fragment name is held by another operation's fragment. Neither
 * may be settled silently (the last page winning, or a fragment overwritten): the import fails,
 * names both files and writes nothing.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPages } from "../../scripts/import/import-pages.ts";
import { formatPipelineError, isPipelineError, type PipelineError } from "../../scripts/shared/pipeline-error.ts";
import { type ProjectLayout, projectLayout } from "../../scripts/shared/project.ts";
import { FIXTURES } from "./helpers.ts";

const REVOKE_PAGE = path.join(FIXTURES, "pages", "revoke-api-key.md");
const FRAGMENT = "handle-revoke-service-user-api-key.yaml";
const REVOKE = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}";

/** The revoke page turned into a GET of the same path: another operation, the same fragment name. */
const asGet = (text: string) =>
  text.replace(`DELETE ${REVOKE}`, `GET ${REVOKE}`).replace("    delete:", "    get:").replace("__delete", "__get");

async function importError(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPipelineError(error), `expected a PipelineError, got ${String(error)}`).toBe(true);
  return error as PipelineError;
}

describe("spec:import refuses colliding pages", () => {
  let dir: string;
  let layout: ProjectLayout;
  let revokeText: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "devin-import-"));
    layout = projectLayout(dir);
    await mkdir(layout.fragmentsDir, { recursive: true });
    revokeText = await readFile(REVOKE_PAGE, "utf8");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const page = async (name: string, text: string) => {
    await writeFile(path.join(dir, name), text);
    return name;
  };

  it.each([
    ["the same operation", (t: string) => t],
    ["another operation with the same fragment name", asGet],
  ])("refuses two pages that declare %s, naming both, and writes nothing", async (_, change) => {
    const first = await page("revoke.md", revokeText);
    const second = await page("revoke-again.md", change(revokeText));
    const error = await importError(importPages([first, second], layout, dir));
    expect(error.message).toMatch(/^two pages declare the same operation \(.+\) or fragment name \(/);
    expect(error.message).toContain(`fragment name (${FRAGMENT})`);
    expect(error.locations.map((l) => l.file)).toEqual(["revoke.md", "revoke-again.md"]);
    expect(await readdir(layout.fragmentsDir)).toEqual([]);
  });

  it("refuses a page whose fragment name holds another operation, and leaves that fragment as it was", async () => {
    // The GET imported first holds the name the revoke page's DELETE would be stored under.
    await importPages([await page("get.md", asGet(revokeText))], layout, dir);
    const existing = path.join(layout.fragmentsDir, FRAGMENT);
    const other = await readFile(existing, "utf8");
    expect(other).toContain("    get:");
    const error = await importError(importPages([await page("revoke.md", revokeText)], layout, dir));
    expect(formatPipelineError(error)).toContain(`fragment name ${FRAGMENT} is taken by GET ${REVOKE}`);
    expect(error.locations.map((l) => l.file)).toEqual([`spec/fragments/${FRAGMENT}`, "revoke.md"]);
    expect(await readFile(existing, "utf8")).toBe(other);
    expect(await readdir(layout.fragmentsDir)).toEqual([FRAGMENT]);
  });
});
