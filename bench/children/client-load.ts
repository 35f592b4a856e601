/**
 * Times `calls` list requests against the sandbox for each client variant, alternating the
 * variants round by round in this one process (after a warm-up round, discarded).
 * argv: JSON `{ url, token, calls, concurrency, rounds, redoclyClient? }`. Prints JSON
 * `{ samples: { <variant>: ms[] }, skipped: { <variant>: reason } }`.
 */
import createClient from "openapi-fetch";
import type { paths } from "../../generated/schema.ts";
import { createDevinClient } from "../../src/index.ts";
import { alternate, type Variant } from "../lib/alternate.ts";

interface Args {
  url: string;
  token: string;
  calls: number;
  concurrency: number;
  rounds: number;
  redoclyClient?: string;
}
const args = JSON.parse(process.argv[2] ?? "{}") as Args;
const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
const USER = "service-user-alpha";
const init = { params: { path: { service_user_id: USER }, query: { first: 2 } } } as const;

const wrapper = createDevinClient({ baseUrl: args.url, token: args.token });
const raw = createClient<paths>({ baseUrl: args.url, headers: { authorization: `Bearer ${args.token}` } });
const url = `${args.url}/v3beta1/enterprise/service-users/${USER}/api-keys?first=2`;
const headers = { authorization: `Bearer ${args.token}`, accept: "application/json" };

// Each call must end with the parsed body in hand, as a caller would use it.
const calls: Record<string, () => Promise<unknown>> = {
  wrapper: async () => {
    const result = await wrapper.GET(LIST, init);
    if (result.kind !== "ok") throw new Error(`wrapper: ${result.kind}`);
    return result.data;
  },
  "openapi-fetch": async () => {
    const { data, error } = await raw.GET(LIST, init);
    if (error || !data) throw new Error("openapi-fetch: error");
    return data;
  },
  fetch: async () => {
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`fetch: ${response.status}`);
    return response.json();
  },
};
const skipped: Record<string, string> = {};
if (args.redoclyClient) {
  try {
    const generated = (await import(args.redoclyClient)) as {
      client: Record<string, (a: object) => Promise<unknown>> & {
        configure(c: object): void;
        auth: { bearer(t: string): void };
      };
    };
    generated.client.configure({ serverUrl: args.url });
    generated.client.auth.bearer(args.token);
    const list = generated.client
      .handle_list_service_user_api_keys_v3beta1_enterprise_service_users__service_user_id__api_keys_get as (
      a: object,
    ) => Promise<unknown>;
    calls["redocly generate-client"] = () => list({ path: { service_user_id: USER }, query: { first: 2 } });
    await calls["redocly generate-client"]();
  } catch (error) {
    delete calls["redocly generate-client"];
    skipped["redocly generate-client"] = (error as Error).message.split("\n")[0] ?? "failed";
  }
}

async function load(call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next++ < args.calls) await call();
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const variants: Variant<number>[] = Object.entries(calls).map(([name, call]) => ({ name, run: () => load(call) }));
await alternate(variants, 1); // warm-up: JIT, connection pool
const samples = await alternate(variants, args.rounds);
process.stdout.write(`${JSON.stringify({ samples: Object.fromEntries(samples), skipped })}\n`);
