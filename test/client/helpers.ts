/**
 * Shared set-up for client tests: a real sandbox over HTTP, a clock that never waits, and
 * a tiny node:http server for responses the sandbox cannot produce (broken pages).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createDevinClient, type DevinClientOptions } from "../../src/index.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";

export const FIXED_NOW = Date.UTC(2026, 0, 1);

/** A clock whose sleep returns at once and records each requested wait. */
export function instantClock() {
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      now: () => FIXED_NOW,
      random: () => 0,
    },
  };
}

export async function sandboxClient(options: SandboxOptions = {}, clientOptions: DevinClientOptions = {}) {
  const sandbox = await startSandbox(options);
  const { sleeps, clock } = instantClock();
  const client = createDevinClient({ baseUrl: sandbox.url, token: sandbox.token, clock, ...clientOptions });
  return { sandbox, client, sleeps };
}

export type { Sandbox };

/** A throwaway server answering every request with `handler`; returns its URL, the hit count and a closer. */
export async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void) {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    handler(req, res, ++hits);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_tiny" });
  res.end(JSON.stringify(body));
}

export const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
export const REVOKE = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}";
