import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { check } from "../../scripts/lib/commands.ts";
import { copyProject, runScript } from "./helpers.ts";

describe("npm run generate", () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.cleanup());

  it("writes the bundle, the types and a README, and prints a summary", async () => {
    const run = await runScript("generate.ts", ["--root", project.root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 fragments and 4 overlays: 2 operations, \d+ schemas, 0 warnings, \d+ ms/);
    expect((await readdir(project.generatedDir)).sort()).toEqual(["README.md", "devin-api.yaml", "schema.ts"]);
    expect((await check(project)).drift).toEqual([]);
  });

  it("prints each stage's time with --timings, on stderr", async () => {
    const run = await runScript("generate.ts", ["--root", project.root, "--timings"]);
    expect(run.code, run.stderr).toBe(0);
    for (const stage of [
      "start-up (module loading)",
      "lint fragments and overlays",
      "lint bundle",
      "openapi-typescript",
      "type-check",
    ]) {
      expect(run.stderr).toMatch(new RegExp(`^  ${stage.replace(/[()]/g, "\\$&")} +\\d+ ms$`, "m"));
    }
    expect(run.stdout).not.toContain("lint bundle");
  });

  it("bundles what the overlays add, with the German descriptions", async () => {
    const bundle = parse(await readFile(path.join(project.generatedDir, "devin-api.yaml"), "utf8"));
    const revoke = bundle.paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}"].delete;
    expect(Object.keys(revoke.responses).sort()).toEqual(["200", "401", "403", "404", "409", "422", "429"]);
    const list = bundle.paths["/v3beta1/enterprise/service-users/{service_user_id}/api-keys"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      "service_user_id",
      "status",
      "after",
      "first",
    ]);
    expect(bundle.servers).toEqual([expect.objectContaining({ url: "https://api.devin.ai" })]);
    expect(bundle.components.schemas.ErrorResponse.anyOf).toHaveLength(2);
  });
});
