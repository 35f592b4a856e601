import { readFile } from "node:fs/promises";
import path from "node:path";
import { BaseResolver, lintDocument, loadConfig, makeDocumentFromString } from "@redocly/openapi-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUNDLE_API_ALIAS } from "../../scripts/build/lint-bundle.ts";
import { generate } from "../../scripts/build/pipeline.ts";
// @ts-expect-error: plain JavaScript (Redocly loads it too), no declarations.
import { statusesNamedIn } from "../../scripts/redocly/devin-plugin.js";
import { formatPipelineError } from "../../scripts/shared/pipeline-error.ts";
import { copyFixtureProject, edit, FIXTURE, FIXTURE_PROJECT, REPO, type TempProject } from "./helpers.ts";

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
  it("pass on the fixture bundle, where an object query parameter holds `after`", async () => {
    const bundle = path.join(FIXTURE_PROJECT, "generated", "devin-api.yaml");
    expect(await problemsOf(bundle, await readFile(bundle, "utf8"))).toEqual([]);
  });

  it("documented endpoints: pass on today's bundle, where the overlays declare what the prose says", async () => {
    const bundle = path.join(REPO, "generated", "devin-api.yaml");
    expect(await problemsOf(bundle, await readFile(bundle, "utf8"))).toEqual([]);
  });

  it("documented endpoints: fail on the raw fragments alone", async () => {
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

// A paginated list whose query is one object parameter, as FastAPI query models declare it.
const objectQuery = (schema: string) => `openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /items:
    get:
      parameters:
        - { in: query, name: qs, required: false, schema: ${schema} }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: { items: { type: array }, has_next_page: { type: boolean }, end_cursor: { type: string } }
components:
  schemas:
    Query: { type: object, properties: { first: { type: integer }, after: { type: string } } }
    Filters: { type: object, properties: { status: { type: string } } }
`;

describe("the cursor rule and object query parameters", () => {
  it.each([
    ["an inline object", "{ type: object, properties: { after: { type: string } } }"],
    ["a $ref to a schema", "{ $ref: '#/components/schemas/Query' }"],
    [
      "an allOf of $refs",
      "{ allOf: [{ $ref: '#/components/schemas/Filters' }, { $ref: '#/components/schemas/Query' }] }",
    ],
  ])("finds `after` inside %s", async (_, schema) => {
    expect(await problemsOf("/tmp/object-query.yaml", objectQuery(schema))).toEqual([]);
  });

  it.each([
    ["an inline object", "{ type: object, properties: { first: { type: integer } } }"],
    ["a $ref to a schema", "{ $ref: '#/components/schemas/Filters' }"],
    ["an allOf of $refs", "{ allOf: [{ $ref: '#/components/schemas/Filters' }] }"],
  ])("fires when %s has no `after` either", async (_, schema) => {
    expect(await problemsOf("/tmp/object-query.yaml", objectQuery(schema))).toEqual([
      "devin/paginated-response-has-cursor GET answers a paginated response (items,",
    ]);
  });
});

describe("generate with the prose rules", () => {
  let project: TempProject;
  beforeEach(async () => {
    project = await copyFixtureProject();
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
    await edit(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), (t) =>
      t.replace(
        "optional nach Typ gefiltert.",
        "optional nach Typ gefiltert. Gibt 404 zurück, wenn die Organisation fehlt.",
      ),
    );
    const message = await failure();
    expect(message).toContain("names HTTP 404");
    expect(message).toContain(`from spec/fragments/${FIXTURE.listSecrets.file}`);
    expect(message).toContain("[devin/status-in-prose-declared]");
  });

  it("fails when a paginated response has no top-level `after` parameter", async () => {
    await edit(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), (t) =>
      t.replace(/ {8}- description: Opaker Cursor[^\n]*\n( {10}.*\n)+?(?= {8}- )/, ""),
    );
    const message = await failure();
    expect(message).toContain("declares no `after` query parameter");
    expect(message).toContain(`from spec/fragments/${FIXTURE.listSecrets.file}`);
    expect(message).toContain("[devin/paginated-response-has-cursor]");
  });

  it("fails when the object query parameter of a paginated response has no `after`", async () => {
    await edit(path.join(project.fragmentsDir, FIXTURE.listSessions.file), (t) =>
      t.replace(/ {8}after:\n( {10}.*\n)+/, ""),
    );
    const message = await failure();
    expect(message).toContain("declares no `after` query parameter");
    expect(message).toContain(`from spec/fragments/${FIXTURE.listSessions.file}`);
  });
});
