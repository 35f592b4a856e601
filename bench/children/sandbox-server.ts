/**
 * The sandbox in its own process, so the server never shares an event loop with the client
 * being measured. Prints one JSON line `{ url, token }`, then serves until killed.
 * argv: JSON `{ "users": { "<service user id>": <number of active keys> } }`.
 */
import { makeKeys, seedServiceUsers, startSandbox } from "../../test/sandbox/server.ts";

const { users } = JSON.parse(process.argv[2] ?? "{}") as { users?: Record<string, number> };
const serviceUsers = { ...seedServiceUsers() };
for (const [id, count] of Object.entries(users ?? {})) serviceUsers[id] = makeKeys(count);
const sandbox = await startSandbox({ serviceUsers, maxPageSize: 200 });
// The sandbox records every request for tests; a benchmark sends hundreds of thousands.
setInterval(() => sandbox.resetRequests(), 250).unref();
process.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.token })}\n`);
process.on("SIGTERM", () => {
  sandbox.close().finally(() => process.exit(0));
});
