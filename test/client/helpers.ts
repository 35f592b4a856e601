/**
 * Shared set-up for client tests: the generic client over the fixture API
 * (test/fixtures/project) and its local server, a clock that never waits, a tiny node:http
 * server for responses no server of ours produces (broken pages), and for the tests about
 * the documented endpoints, the sandbox.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiClient, type ApiClientOptions, createApiClient } from "../../src/core/client.ts";
import { createDevinClient, type DevinClientOptions } from "../../src/index.ts";
import { operationIndex } from "../fixtures/project/generated/operations.ts";
import type { paths } from "../fixtures/project/generated/schema.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../sandbox/server.ts";
import { type FixtureServerOptions, startFixtureServer } from "../support/fixture-server.ts";

export type FixturePaths = paths;
export type FixtureIndex = typeof operationIndex;
export type FixtureClient = ApiClient<FixturePaths, FixtureIndex>;
export type FixtureClientOptions = Omit<ApiClientOptions<FixtureIndex>, "baseUrl" | "operations"> & {
  baseUrl?: string;
};

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

/** The generic client with the fixture API's types and operation index; `baseUrl` defaults to an unused local one. */
export function createFixtureClient(options: FixtureClientOptions = {}): FixtureClient {
  return createApiClient<FixturePaths, FixtureIndex>({
    baseUrl: "http://127.0.0.1:9",
    ...options,
    operations: operationIndex,
  });
}

/** A fixture server and a client for it whose clock never waits (`sleeps` records the waits). */
export async function fixtureClient(options: FixtureServerOptions = {}, clientOptions: FixtureClientOptions = {}) {
  const server = await startFixtureServer(options);
  const { sleeps, clock } = instantClock();
  const client = createFixtureClient({ baseUrl: server.url, token: server.token, clock, ...clientOptions });
  return { server, client, sleeps };
}

/** The sandbox of the two documented endpoints and a Devin client for it (tests named "documented endpoints: …"). */
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

export const SESSIONS = "/v3/organizations/{org_id}/sessions";
export const SECRETS = "/v3/organizations/{org_id}/secrets";
export const SECRET = "/v3/organizations/{org_id}/secrets/{secret_id}";

/** The documented endpoints (generated/), served by the sandbox. */
export const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
export const REVOKE = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}";

/**
 * Middleware that loses the first response after the server has acted on the request, as a
 * proxy reset after the server answered would: the attempt's outcome is unknown to the client.
 */
export function dropFirstResponse() {
  let dropped = 0;
  return {
    onResponse: () => {
      if (dropped++ === 0) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    },
  };
}

/** Runs `fn` with environment variable `name` set to `value` (or unset), then restores it. */
export async function withEnv<T>(name: string, value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}
