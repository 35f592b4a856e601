/**
 * Iterates every key of one service user with the wrapper's `paginate` and with a
 * hand-written fetch loop, alternating, and reports wall time and peak heap growth while
 * iterating without collecting. Run with --expose-gc: each run starts from a collected heap.
 * argv: JSON `{ url, token, users: { <id>: <count> }, first, rounds }`.
 * Prints JSON `{ runs: [{ variant, user, count, ms, heapGrowthMb }] }`.
 */
import { createDevinClient } from "../../src/index.ts";
import { alternate, type Variant } from "../lib/alternate.ts";

interface Args {
  url: string;
  token: string;
  users: Record<string, number>;
  first: number;
  rounds: number;
}
const args = JSON.parse(process.argv[2] ?? "{}") as Args;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
const client = createDevinClient({ baseUrl: args.url, token: args.token });
const headers = { authorization: `Bearer ${args.token}`, accept: "application/json" };

/** Sampled once per page (every `first` items): often enough to see the peak, cheap enough not to skew the time. */
class HeapWatch {
  private readonly start: number;
  peak = 0;
  constructor() {
    gc?.();
    this.start = process.memoryUsage().heapUsed;
  }
  sample() {
    this.peak = Math.max(this.peak, process.memoryUsage().heapUsed - this.start);
  }
}

async function viaPaginate(user: string, watch: HeapWatch): Promise<number> {
  let count = 0;
  for await (const key of client.paginate(LIST, { params: { path: { service_user_id: user } }, first: args.first })) {
    if (key.api_key_id && ++count % args.first === 0) watch.sample();
  }
  return count;
}

async function viaFetchLoop(user: string, watch: HeapWatch): Promise<number> {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ first: String(args.first), ...(after && { after }) });
    const response = await fetch(`${args.url}/v3beta1/enterprise/service-users/${user}/api-keys?${query}`, { headers });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const page = (await response.json()) as {
      items: { api_key_id: string }[];
      has_next_page: boolean;
      end_cursor: string | null;
    };
    for (const key of page.items) if (key.api_key_id && ++count % args.first === 0) watch.sample();
    if (!page.has_next_page || !page.end_cursor) return count;
    after = page.end_cursor;
  }
}

const runs: { variant: string; user: string; count: number; ms: number; heapGrowthMb: number }[] = [];
const timed = (variant: string, user: string, iterate: typeof viaPaginate) => async () => {
  const watch = new HeapWatch();
  const started = process.hrtime.bigint();
  const count = await iterate(user, watch);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  watch.sample();
  if (count !== args.users[user]) throw new Error(`${variant} saw ${count} of ${args.users[user]} keys`);
  const run = { variant, user, count, ms, heapGrowthMb: watch.peak / 2 ** 20 };
  runs.push(run);
  return run;
};

const variants: Variant<unknown>[] = Object.keys(args.users).flatMap((user) => [
  { name: `paginate ${user}`, run: timed("paginate", user, viaPaginate) },
  { name: `fetch loop ${user}`, run: timed("fetch loop", user, viaFetchLoop) },
]);
// Warm-up on the smallest user, discarded.
const smallest = Object.entries(args.users).sort((a, b) => a[1] - b[1])[0]?.[0] as string;
await timed("paginate", smallest, viaPaginate)();
await timed("fetch loop", smallest, viaFetchLoop)();
runs.length = 0;
await alternate(variants, args.rounds);
process.stdout.write(`${JSON.stringify({ runs })}\n`);
