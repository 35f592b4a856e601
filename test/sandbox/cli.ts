/**
 * npm run sandbox [-- --errors legacy|problem] [--fault <kind>[,...]] [--port <n>]
 * Serves the sandbox on 127.0.0.1 (PORT or --port, default 4010) until Ctrl-C, for trying the
 * client, an example or curl against a local API with seeded service users. Prints what a
 * client needs to connect: the URL, the token, the service users and their keys.
 */
import { describeFault, parseSandboxArgs, type SandboxCommand } from "./cli-args.ts";
import { keyStatus } from "./keys.ts";
import { type Sandbox, startSandbox } from "./server.ts";

const parsed = parseSandboxArgs(process.argv.slice(2), process.env);
if (!parsed.ok) {
  (parsed.code === 0 ? console.log : console.error)(parsed.message);
  process.exit(parsed.code);
}
const { command } = parsed;

let sandbox: Sandbox;
try {
  sandbox = await startSandbox({ port: command.port, errorFormat: command.errorFormat });
} catch (error) {
  // A second sandbox, or anything else on the port: say what to do, not a stack.
  if ((error as { code?: unknown }).code === "EADDRINUSE") {
    console.error(`sandbox: port ${command.port} is in use: pass --port <n> or --port 0 for any free port`);
    process.exit(1);
  }
  throw error;
}
for (const fault of command.faults) sandbox.addFault({ fault });
console.log(banner(sandbox, command));

function banner(sandbox: Sandbox, command: SandboxCommand): string {
  const { url, token } = sandbox;
  const [firstUser = "service-user-alpha"] = sandbox.serviceUsers.keys();
  const width = Math.max(...[...sandbox.serviceUsers.keys()].map((id) => id.length));
  const users = [...sandbox.serviceUsers].map(([id, keys]) => {
    const byStatus = (["active", "revoked", "expired"] as const)
      .map((status) => [status, keys.filter((key) => keyStatus(key) === status).map((key) => key.api_key_id)] as const)
      .filter(([, ids]) => ids.length > 0)
      .map(([status, ids]) => `${`${status}:`.padEnd(9)}${ids.join(", ")}`);
    const [first = "no keys", ...rest] = byStatus;
    return [`  ${id.padEnd(width)}  ${first}`, ...rest.map((line) => `  ${" ".repeat(width)}  ${line}`)].join("\n");
  });
  const faults = command.faults.length === 0 ? "none" : command.faults.map(describeFault).join(", then ");
  const listUrl = `${url}/v3beta1/enterprise/service-users/${firstUser}/api-keys`;
  return `Devin API sandbox on ${url}
  error bodies:  ${command.errorFormat === "legacy" ? 'legacy {"detail": ...}' : "application/problem+json (RFC 9457)"}
  faults:        ${faults}${command.faults.length === 0 ? "" : " (one request each)"}

token:  ${token}
service users and their keys:
${users.join("\n")}

Connect the client (DEVIN_API_BASE_URL and DEVIN_API_KEY are read by createDevinClient()):
  DEVIN_API_BASE_URL=${url} DEVIN_API_KEY=${token} node examples/plain-esm.mjs   # after npm run build
  const devin = createDevinClient({ baseUrl: "${url}", token: "${token}" });

Or curl:
  curl -H "Authorization: Bearer ${token}" "${listUrl}?status=active&first=2"

Ctrl-C to stop.`;
}

let stopping = false;
function stop(): void {
  // A second Ctrl-C while closing means "now".
  if (stopping) process.exit(130);
  stopping = true;
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
