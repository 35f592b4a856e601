import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { BaseResolver, lintDocument, loadConfig, makeDocumentFromString } from "@redocly/openapi-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generate } from "../../scripts/lib/commands.ts";
import { BUNDLE_API_ALIAS } from "../../scripts/lib/pipeline.ts";
import { formatPipelineError } from "../../scripts/lib/pipeline-error.ts";
// @ts-expect-error: plain JavaScript (Redocly loads it too), no declarations.
import { statusesNamedIn } from "../../scripts/redocly/devin-plugin.js";
import { copyProject, REPO } from "./helpers.ts";

const named = statusesNamedIn as (text: string) => string[];

describe("statuses named in prose", () => {
  it.each([
    ["Gibt 404 zurück, wenn der key nicht gefunden wird, und 409, wenn er bereits widerrufen wurde.", ["404", "409"]],
    ["Returns 409 when the key was already revoked.", ["409"]],
    ["Responds with 422 on invalid input; status 429 means slow down.", ["422", "429"]],
    ["Liefert bis zu 500 Einträge pro Seite.", []],
    ["Returns at most 200 items per page.", []],
    ["Devin API 3.0.0 mit 2 Feldern", []],
    ["Seit 2024 verfügbar.", []],
  ])("finds the statuses in %j", (text, want) => {
    expect(named(text)).toEqual(want);
  });
});

async function problemsOf(file: string, text: string) {
  const config = (await loadConfig({ configPath: path.join(REPO, "redocly.yaml") })).forAlias(BUNDLE_API_ALIAS);
  const document = makeDocumentFromString(text, file);
  const problems = await lintDocument({ document, config, externalRefResolver: new BaseResolver() });
  return problems
    .filter((p) => p.ruleId.startsWith("devin/"))
    .map((p) => `${p.ruleId} ${p.message.slice(0, 40).trimEnd()}`);
}

describe("the prose rules", () => {
  it("pass on today's bundle, where the overlays declare what the prose says", async () => {
    const bundle = path.join(REPO, "generated", "devin-api.yaml");
    expect(await problemsOf(bundle, await readFile(bundle, "utf8"))).toEqual([]);
  });

  it("fail on the raw fragments alone", async () => {
    const dir = path.join(REPO, "spec", "fragments");
    const revoke = path.join(dir, "handle-revoke-service-user-api-key.yaml");
    const list = path.join(dir, "handle-list-service-user-api-keys.yaml");
    expect(await problemsOf(revoke, await readFile(revoke, "utf8"))).toEqual([
      "devin/status-in-prose-declared The description names HTTP 404, but the",
      "devin/status-in-prose-declared The description names HTTP 409, but the",
    ]);
    expect(await problemsOf(list, await readFile(list, "utf8"))).toEqual([
      "devin/paginated-response-has-cursor GET answers a paginated response (items,",
    ]);
  });
});

describe("generate with the prose rules", () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeEach(async () => {
    project = await copyProject();
  });
  afterEach(() => project.cleanup());

  const failure = async () =>
    formatPipelineError(
      await generate(project).then(
        () => Promise.reject(new Error("generate passed")),
        (e) => e,
      ),
    );

  it("fails when a description names a 404 the operation does not declare", async () => {
    const file = path.join(project.fragmentsDir, "handle-list-service-user-api-keys.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(
      file,
      text.replace(
        "optional nach Status\n        gefiltert.",
        "optional nach Status\n        gefiltert. Gibt 404 zurück, wenn der Service-Benutzer fehlt.",
      ),
    );
    const message = await failure();
    expect(message).toContain("names HTTP 404");
    expect(message).toContain("from spec/fragments/handle-list-service-user-api-keys.yaml");
    expect(message).toContain("[devin/status-in-prose-declared]");
  });

  it("fails when a paginated response has no `after` parameter", async () => {
    await rm(path.join(project.overlaysDir, "40-pagination.yaml"));
    const message = await failure();
    expect(message).toContain("declares no `after` query parameter");
    expect(message).toContain("[devin/paginated-response-has-cursor]");
  });
});
