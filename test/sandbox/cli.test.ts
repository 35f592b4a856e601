import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseSandboxArgs } from "./cli-args.ts";

const REPO = path.resolve(import.meta.dirname, "../..");
const LIST = "/v3beta1/enterprise/service-users/service-user-alpha/api-keys";

/** `npm run sandbox -- …` as its own process (node + tsx, as the npm script runs it). */
function startCli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/sandbox/cli.ts", ...args], {
    cwd: REPO,
    env: { ...process.env, PORT: "" },
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  return { child, stdout: () => out, stderr: () => err };
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("npm run sandbox", () => {
  test("serves problem+json errors and the faults asked for, and prints how to connect", async () => {
    const cli = startCli(["--errors", "problem", "--fault", "status503", "--port", "0"]);
    children.push(cli.child);
    while (!cli.stdout().includes("Ctrl-C to stop.")) {
      const exited = once(cli.child, "exit");
      await Promise.race([once(cli.child.stdout as NodeJS.ReadableStream, "data"), exited]);
      if (cli.child.exitCode !== null) throw new Error(`the sandbox exited: ${cli.stderr()}`);
    }
    const banner = cli.stdout();
    const url = /^Devin API sandbox on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(banner)?.[1] ?? "";
    expect(url).not.toBe("");
    expect(banner).toContain("token:  cog_sandbox_token");
    expect(banner).toMatch(/service-user-alpha {2}active: {2}key-alpha-active-1, /);
    expect(banner).toMatch(/^ +revoked: key-alpha-revoked-1, key-alpha-revoked-2$/m);
    expect(banner).toMatch(/service-user-empty +no keys/);
    expect(banner).toContain(`DEVIN_API_BASE_URL=${url} DEVIN_API_KEY=cog_sandbox_token node examples/plain-esm.mjs`);
    expect(banner).toContain(`createDevinClient({ baseUrl: "${url}", token: "cog_sandbox_token" })`);
    expect(banner).toContain("faults:        503 (one request each)");

    const get = (target: string) =>
      fetch(`${url}${target}`, { headers: { authorization: "Bearer cog_sandbox_token" } });
    const faulted = await get(LIST);
    expect([faulted.status, faulted.headers.get("content-type")]).toEqual([503, "application/problem+json"]);
    expect(await faulted.json()).toMatchObject({ status: 503, type: expect.stringMatching(/^urn:devin-sandbox:/) });
    // The fault hit one request; the next one is served, and its errors are problem+json too.
    expect((await get(LIST)).status).toBe(200);
    const missing = await get("/v3beta1/enterprise/service-users/service-user-ghost/api-keys");
    expect([missing.status, missing.headers.get("content-type")]).toEqual([404, "application/problem+json"]);

    cli.child.kill("SIGTERM");
    const [code] = await once(cli.child, "exit");
    expect(code).toBe(0);
  });

  test("says in one line that a busy port is in use, with no stack, and exits 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const cli = startCli(["--port", String(port)]);
      children.push(cli.child);
      const [code] = await once(cli.child, "exit");
      expect(code).toBe(1);
      expect(cli.stderr()).toBe(`sandbox: port ${port} is in use: pass --port <n> or --port 0 for any free port\n`);
      expect(cli.stdout()).toBe("");
    } finally {
      blocker.close();
    }
  });
});

describe("the sandbox command line", () => {
  test.each([
    ["an unknown flag", ["--colour"], "Unknown option '--colour'"],
    ["an error format that does not exist", ["--errors", "xml"], '--errors takes legacy or problem, not "xml"'],
    ["an unknown fault", ["--fault", "status503,status418"], 'unknown fault "status418"'],
    ["a value for a fault that takes none", ["--fault", "reset:3"], "only latency:<ms> and status429:<Retry-After>"],
    ["a port out of range", ["--port", "70000"], 'invalid port "70000"'],
    ["a positional argument", ["4010"], "Unexpected argument '4010'"],
    ["help with another flag's typo", ["--hlep"], "Unknown option '--hlep'"],
  ])("refuses %s with the message and the usage (exit 2)", (_name, argv, message) => {
    const parsed = parseSandboxArgs(argv);
    expect(parsed).toMatchObject({ ok: false, code: 2 });
    const text = parsed.ok ? "" : parsed.message;
    expect(text).toContain(message);
    expect(text).toContain("usage: npm run sandbox -- [--errors legacy|problem] [--fault <kind>[,<kind>...]]");
  });

  test.each([["--help"], ["-h"]])("%s gives the usage and exit 0, starting nothing", (flag) => {
    expect(parseSandboxArgs([flag])).toEqual({
      ok: false,
      code: 0,
      message: expect.stringMatching(/^usage: npm run sandbox/),
    });
  });

  test("reads faults in order, with their values, from lists and repeated flags", () => {
    expect(
      parseSandboxArgs(["--fault", "status429:3,latency:50", "--fault", "reset", "--errors", "problem"], {
        PORT: "5000",
      }),
    ).toEqual({
      ok: true,
      command: {
        port: 5000,
        errorFormat: "problem",
        faults: [{ kind: "status429", retryAfter: "3" }, { kind: "latency", ms: 50 }, { kind: "reset" }],
      },
    });
  });

  test("defaults to port 4010, legacy bodies and no faults", () => {
    expect(parseSandboxArgs([])).toEqual({ ok: true, command: { port: 4010, errorFormat: "legacy", faults: [] } });
  });
});
