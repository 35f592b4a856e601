/**
 * `npm run test:package`: what a user gets from the registry. Builds, packs, installs the
 * tarball into a temp copy of this fixture, type-checks and runs it against the sandbox,
 * then runs publint and `attw --pack --profile esm-only`. Takes ~15 s and needs the npm
 * registry for openapi-fetch, so it is not part of `npm test`.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { startSandbox } from "../sandbox/server.ts";

const root = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => {
  console.log(`$ ${cmd.replace(`${root}/`, "")} ${args.join(" ")}`);
  return execFileSync(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
};

const temp = mkdtempSync(join(tmpdir(), "devin-consumer-"));
const sandbox = await startSandbox();
try {
  run("npm", ["run", "build"], root);
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", temp], root)) as [
    { filename: string; files: { path: string }[] },
  ];
  const { filename, files } = packed[0];
  console.log(files.map((f) => `  ${f.path}`).join("\n"));
  const app = join(temp, "app");
  cpSync(join(root, "test/consumer"), app, {
    recursive: true,
    filter: (src) => !/\.test\.ts$|check-package\.ts$/.test(src),
  });
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", join(temp, filename)], app);
  run(bin("tsc"), ["-p", "tsconfig.json"], app);
  const env = { ...process.env, SANDBOX_URL: sandbox.url, DEVIN_API_KEY: sandbox.token };
  // Asynchronously: the sandbox answers from this process's event loop.
  console.log("$ node index.js");
  const { stdout } = await promisify(execFile)("node", ["index.js"], { cwd: app, env, timeout: 60_000 });
  process.stdout.write(stdout);
  process.stdout.write(run(bin("publint"), ["--strict"], root));
  process.stdout.write(run(bin("attw"), ["--pack", ".", "--profile", "esm-only"], root));
  console.log("test:package: ok");
} finally {
  await sandbox.close();
  rmSync(temp, { recursive: true, force: true });
}
