/**
 * npm run sandbox [-- --port <n>]
 * Serves the sandbox on 127.0.0.1 (PORT or --port, default 4010) until Ctrl-C, for
 * trying the client or curl against a local API with seeded service users.
 */
import { parseArgs } from "node:util";
import { startSandbox } from "./server.ts";

const DEFAULT_PORT = 4010;

function parsePort(): number {
  const { values } = parseArgs({ options: { port: { type: "string", short: "p" } } });
  const raw = values.port ?? process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`sandbox: invalid port ${JSON.stringify(raw)} (expected 0-65535)`);
  }
  return port;
}

const sandbox = await startSandbox({ port: parsePort() });
const listUrl = `${sandbox.url}/v3beta1/enterprise/service-users/service-user-alpha/api-keys`;

console.log(`Devin API sandbox listening on ${sandbox.url}
token:          ${sandbox.token}
service users:  ${[...sandbox.serviceUsers.keys()].join(", ")}

Try:
  curl -H "Authorization: Bearer ${sandbox.token}" "${listUrl}?status=active&first=2"
  curl -X DELETE -H "Authorization: Bearer ${sandbox.token}" "${listUrl}/key-alpha-active-1"

Ctrl-C to stop.`);

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
