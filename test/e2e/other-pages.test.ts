/**
 * The day the docs change, end to end: docs pages for other v3 endpoints (fictional fixtures
 * in test/fixtures/docs-v3/) are imported beside the documented ones, and then instead of
 * them, into a copy of this repository. `spec:import`, `generate`, `build` and a type-check of
 * code that calls the new operations pass with src/ and scripts/ unchanged, and the built
 * client talks to a local server over HTTP, where the raw requests are checked.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PAGES = path.join(REPO, "test", "fixtures", "docs-v3");
const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

/** A copy of what a maintainer's checkout holds, with node_modules linked, not copied. */
async function copyRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "devin-e2e-"));
  for (const entry of [
    "package.json",
    "tsconfig.json",
    "tsconfig.build.json",
    "redocly.yaml",
    "scripts",
    "src",
    "spec",
    "generated",
  ]) {
    await cp(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  }
  await symlink(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}

async function script(root: string, name: string, args: string[]) {
  try {
    return await run(process.execPath, ["--import", "tsx", path.join(root, "scripts", name), "--root", root, ...args], {
      cwd: root,
      env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", REDOCLY_TELEMETRY: "off" },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${name} failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

async function tsc(root: string, project: string) {
  try {
    await run(process.execPath, [TSC, "-p", path.join(root, project)], { cwd: root });
  } catch (error) {
    throw new Error(`tsc -p ${project} failed:\n${(error as { stdout?: string }).stdout ?? ""}`);
  }
}

// Code a user would write against the new operations: it must compile against the build.
const USAGE = `import { createDevinClient, type DevinResult } from "../src/index.ts";

export async function tour(baseUrl: string, token: string): Promise<string[]> {
  const devin = createDevinClient({ baseUrl, token });
  const seen: string[] = [];
  // A FastAPI query model: its properties are the method's options.
  for await (const session of devin.listSessions("org-1", { first: 2, tags: ["a", "b"], status: "running" })) {
    const id: string = session.session_id;
    seen.push(id);
  }
  for await (const page of devin.listSecrets("org-1", { first: 1, type: "cookie" }).pages()) {
    // has_next_page has a default: a server may omit it, and the type says so.
    const more: boolean | undefined = page.has_next_page;
    seen.push(\`secrets page: \${page.items.length} \${String(more)}\`);
  }
  // \`idempotent\` has a default and is not required: it may be left out.
  const created = await devin.createSession("org-1", { body: { prompt: "hallo" } });
  if (created.kind === "ok") seen.push(\`created \${created.data.session_id}\`);
  const trace = await devin.getSecret("org-1", "sec-1", { header: { "X-Request-Trace": ["t1", "t2"] } });
  if (trace.kind === "ok") seen.push(\`got \${trace.data.name}\`);
  const gone: DevinResult<"deleteSecret"> = await devin.deleteSecret("org-1", "sec-missing");
  if (gone.kind === "not_found") seen.push(\`not found: \${gone.problem.detail}\`);
  // By path, too.
  const byPath = await devin.GET("/v3/organizations/{org_id}/secrets/{secret_id}", {
    params: { path: { org_id: "org-1", secret_id: "sec-1" } },
  });
  if (byPath.kind === "ok") seen.push(\`by path \${byPath.data.secret_id}\`);
  return seen;
}
`;

const USAGE_TSCONFIG = {
  extends: "../tsconfig.json",
  compilerOptions: { noEmit: true, types: ["node"] },
  include: ["usage.ts"],
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A stand-in for the API serving the fixture operations; records every raw request. */
async function fixtureServer() {
  const seen: Seen[] = [];
  const reply = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
    res.writeHead(status, { "content-type": type, "x-request-id": `req_${seen.length}` });
    res.end(JSON.stringify(body));
  };
  const session = (id: string) => ({ session_id: id, status: "running", tags: ["a", "b"], created_at: 1 });
  const secret = (id: string) => ({ secret_id: id, name: `name-${id}`, type: "cookie", created_at: 1 });
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://x");
      const route = `${req.method} ${url.pathname}`;
      if (route === "GET /v3/organizations/org-1/sessions") {
        const after = url.searchParams.get("after");
        if (after === null)
          return reply(res, 200, { items: [session("s1"), session("s2")], has_next_page: true, end_cursor: "c1" });
        return reply(res, 200, { items: [session("s3")], has_next_page: false, end_cursor: null });
      }
      if (route === "GET /v3/organizations/org-1/secrets") {
        // has_next_page omitted on the last page: the spec gives it a default, so it may be.
        if (url.searchParams.get("after") === null)
          return reply(res, 200, { items: [secret("x1")], has_next_page: true, end_cursor: "k1" });
        return reply(res, 200, { items: [secret("x2")], end_cursor: null });
      }
      if (route === "POST /v3/organizations/org-1/sessions") return reply(res, 200, session("s-new"));
      if (route === "GET /v3/organizations/org-1/secrets/sec-1") return reply(res, 200, secret("sec-1"));
      if (route === "DELETE /v3/organizations/org-1/secrets/sec-missing") {
        return reply(
          res,
          404,
          { type: "about:blank", title: "Not Found", status: 404, detail: "kein Secret sec-missing" },
          "application/problem+json",
        );
      }
      reply(res, 404, { detail: `no route ${route}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const pages = async () =>
  (await readdir(PAGES)).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => path.join(PAGES, f));

describe.each([
  ["beside the documented ones", false],
  ["instead of the documented ones", true],
] as const)("other v3 docs pages, imported %s", (_label, replace) => {
  let root: string;
  const server = fixtureServer();

  beforeAll(async () => {
    root = await copyRepo();
    if (replace) {
      await rm(path.join(root, "spec", "fragments"), { recursive: true });
      await mkdir(path.join(root, "spec", "fragments"));
      // The overlays that target the documented paths go with them.
      for (const overlay of await readdir(path.join(root, "spec", "overlays"))) {
        const text = await readFile(path.join(root, "spec", "overlays", overlay), "utf8");
        if (text.includes("/v3beta1/enterprise/service-users")) await rm(path.join(root, "spec", "overlays", overlay));
      }
    }
    await script(root, "spec-import.ts", await pages());
    await script(root, "generate.ts", []);
    await tsc(root, "tsconfig.build.json");
  }, 180_000);

  afterAll(async () => {
    await (await server).close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  // src/ and scripts/ are this repository's own, copied as they are: that generate and build
  // pass on them (beforeAll) is the claim "no change in src/ or scripts/".
  test("the index lists the new operations by name", async () => {
    const index = await readFile(path.join(root, "generated", "operations.ts"), "utf8");
    for (const name of ["listSessions", "listSecrets", "createSession", "deleteSecret", "getSecret"]) {
      expect(index).toContain(`"${name}": {`);
    }
    expect(index.includes('"listServiceUserApiKeys"')).toBe(!replace);
  });

  test("code calling the new operations by name and by path type-checks", async () => {
    await mkdir(path.join(root, "usage"));
    await writeFile(path.join(root, "usage", "usage.ts"), USAGE);
    await writeFile(path.join(root, "usage", "tsconfig.json"), JSON.stringify(USAGE_TSCONFIG));
    await tsc(root, "usage/tsconfig.json");
    // And a wrong call does not: the compiler knows the new operations' parameters.
    await writeFile(
      path.join(root, "usage", "usage.ts"),
      `${USAGE}\nexport const wrong = () => createDevinClient({ token: "cog_x" }).listSessions("org-1", { tags: "a" });\n`,
    );
    await expect(tsc(root, "usage/tsconfig.json")).rejects.toThrow(
      /usage\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'string\[\]'/,
    );
  });

  test("the built client sends what the spec declares and reads what the server answers", async () => {
    const { url, seen } = await server;
    seen.length = 0;
    const built = (await import(
      pathToFileURL(path.join(root, "dist", "src", "index.js")).href
    )) as typeof import("../../src/index.ts");
    const devin = built.createDevinClient({ baseUrl: url, token: "cog_e2e" }) as unknown as Record<
      string,
      (...args: unknown[]) => unknown
    >;

    for (const name of ["listSessions", "listSecrets", "createSession", "getSecret", "deleteSecret"]) {
      expect(typeof devin[name], name).toBe("function");
    }

    const sessions: string[] = [];
    const list = devin.listSessions?.("org-1", { first: 2, tags: ["a", "b"], status: "running" }) as AsyncIterable<{
      session_id: string;
    }>;
    for await (const s of list) sessions.push(s.session_id);
    expect(sessions).toEqual(["s1", "s2", "s3"]);
    // The query model `qs` goes over the wire in form style: one name per property, arrays repeated.
    expect(seen.map((r) => r.url)).toEqual([
      "/v3/organizations/org-1/sessions?tags=a&tags=b&status=running&first=2",
      "/v3/organizations/org-1/sessions?tags=a&tags=b&status=running&first=2&after=c1",
    ]);

    seen.length = 0;
    const secretPages: unknown[] = [];
    const secrets = devin.listSecrets?.("org-1", { first: 1 }) as {
      pages(): AsyncIterable<{ has_next_page?: boolean }>;
    };
    for await (const page of secrets.pages()) secretPages.push(page.has_next_page);
    expect(secretPages).toEqual([true, undefined]);
    expect(seen.map((r) => r.url)).toEqual([
      "/v3/organizations/org-1/secrets?first=1",
      "/v3/organizations/org-1/secrets?first=1&after=k1",
    ]);

    seen.length = 0;
    const created = (await devin.createSession?.("org-1", { body: { prompt: "hallo" } })) as { kind: string };
    expect(created.kind).toBe("ok");
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v3/organizations/org-1/sessions" });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ prompt: "hallo" });
    expect(seen[0]?.headers.authorization).toBe("Bearer cog_e2e");

    seen.length = 0;
    const got = (await devin.getSecret?.("org-1", "sec-1", { header: { "X-Request-Trace": ["t1", "t2"] } })) as {
      kind: string;
    };
    expect(got.kind).toBe("ok");
    expect(seen[0]?.headers["x-request-trace"]).toBe("t1,t2");

    const gone = (await devin.deleteSecret?.("org-1", "sec-missing")) as {
      kind: string;
      problem: { detail?: string };
      message: string;
    };
    expect(gone).toMatchObject({
      kind: "not_found",
      problem: { detail: "kein Secret sec-missing", title: "Not Found" },
    });
    expect(gone.message).toContain("kein Secret sec-missing");
  });
});
