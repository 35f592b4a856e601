/**
 * A local stand-in for the two operations of generated/devin-api.yaml, built on node:http
 * only, with fault injection for the client's retry and error handling tests.
 *
 * Request flow: record -> injected fault (if any) -> route (404/405) -> auth (401) -> handler.
 * Faults come before routing because they model the network and proxies in front of the API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ApiError, errorReply, errors } from "./errors.ts";
import { FaultQueue } from "./faults.ts";
import { type HandlerState, listKeys, revokeKey } from "./handlers.ts";
import { seedServiceUsers } from "./keys.ts";
import type { Reply } from "./reply.ts";
import { matchRoute } from "./routes.ts";
import type { ErrorFormat, Fault, RecordedRequest, Sandbox, SandboxKey, SandboxOptions } from "./types.ts";

export { makeKeys, seedServiceUsers } from "./keys.ts";
export type {
  ErrorFormat,
  Fault,
  FaultRule,
  KeyStatus,
  RecordedRequest,
  Sandbox,
  SandboxKey,
  SandboxOptions,
} from "./types.ts";

const DEFAULT_TOKEN = "cog_sandbox_token";

const HTML_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

// A prefix of a real page, so a client that ignores Content-Length would see broken JSON too.
const TRUNCATED_BODY = '{"items":[{"api_key_id":"key-alpha-active-1","api_key_name":"ci-de';
const TRUNCATED_CLAIMED_LENGTH = 4096;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const token = options.token ?? DEFAULT_TOKEN;
  const requestIdPrefix = options.requestIdPrefix ?? "req_";
  let errorFormat: ErrorFormat = options.errorFormat ?? "legacy";
  const state: HandlerState = {
    serviceUsers: copyServiceUsers(options.serviceUsers ?? seedServiceUsers()),
    limits: { defaultPageSize: options.defaultPageSize ?? 25, maxPageSize: options.maxPageSize ?? 200 },
  };
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let requestCount = 0;

  function send(res: ServerResponse, reply: Reply, requestId: string): void {
    res.writeHead(reply.status, {
      ...reply.headers,
      "content-length": Buffer.byteLength(reply.body),
      "x-request-id": requestId,
    });
    res.end(reply.body);
  }

  function sendError(res: ServerResponse, error: ApiError, instance: string, requestId: string): void {
    send(res, errorReply(error, errorFormat, instance), requestId);
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  /** Answers a fault; returns false for latency, after which the request proceeds normally. */
  async function applyFault(fault: Fault, res: ServerResponse, path: string, requestId: string): Promise<boolean> {
    switch (fault.kind) {
      case "latency":
        await delay(fault.ms);
        return false;
      case "reset":
        res.socket?.destroy();
        return true;
      case "status429": {
        const reply = errorReply(errors.tooManyRequests, errorFormat, path);
        if (fault.retryAfter !== undefined) reply.headers["retry-after"] = fault.retryAfter;
        send(res, reply, requestId);
        return true;
      }
      case "status500":
        sendError(res, errors.internal, path, requestId);
        return true;
      case "status503":
        sendError(res, errors.unavailable, path, requestId);
        return true;
      case "html502":
        send(res, { status: 502, headers: { "content-type": "text/html" }, body: HTML_502 }, requestId);
        return true;
      case "truncated":
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": TRUNCATED_CLAIMED_LENGTH,
          "x-request-id": requestId,
        });
        // end() rather than destroy() so the partial body is flushed before the FIN.
        res.write(TRUNCATED_BODY, () => res.socket?.end());
        return true;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `${requestIdPrefix}${++requestCount}`;
    const method = (req.method ?? "GET").toUpperCase();
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    // Last value wins for repeated parameters, as FastAPI does for scalar query params.
    const query = Object.fromEntries(new URLSearchParams(queryStart === -1 ? "" : target.slice(queryStart + 1)));
    const authorization = req.headers.authorization;
    requests.push({ method, path, query, hasAuth: authorization !== undefined });
    // No operation takes a body; drain it so keep-alive connections stay usable.
    req.resume();

    const fault = faults.take(method, target);
    if (fault !== undefined && (await applyFault(fault, res, path, requestId))) return;
    if (res.destroyed) return; // closed while a latency fault was waiting

    const route = matchRoute(method, path);
    if (route.operation === "not-found") return sendError(res, errors.routeNotFound, path, requestId);
    if (route.operation === "method-not-allowed") {
      res.setHeader("allow", route.allow);
      return sendError(res, errors.methodNotAllowed, path, requestId);
    }

    const authError = checkAuth(authorization, token);
    if (authError !== undefined) {
      res.setHeader("www-authenticate", "Bearer");
      return sendError(res, authError, path, requestId);
    }

    const result =
      route.operation === "list"
        ? listKeys(state, route.serviceUserId, query)
        : revokeKey(state, route.serviceUserId, route.apiKeyId);
    if ("body" in result) return send(res, result, requestId);
    sendError(res, result, path, requestId);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the sandbox must surface as a 500, never as a hung request.
      console.error("sandbox: handler failed", error);
      if (!res.headersSent) sendError(res, errors.internal, req.url ?? "/", "req_error");
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    resetRequests: () => {
      // In place, so references held by tests see the reset.
      requests.length = 0;
    },
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setErrorFormat: (format) => {
      errorFormat = format;
    },
    serviceUsers: state.serviceUsers,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Missing header -> "Not authenticated"; anything but `Bearer <token>` -> invalid credentials. */
function checkAuth(authorization: string | undefined, token: string): ApiError | undefined {
  if (authorization === undefined || authorization.trim() === "") return errors.notAuthenticated;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] === token ? undefined : errors.invalidToken;
}

/**
 * Copies the arrays (not the keys: revocation replaces a key instead of editing it), so
 * a sandbox never changes the caller's fixtures and 100_000 keys cost no second copy.
 */
function copyServiceUsers(users: Record<string, SandboxKey[]>): Map<string, SandboxKey[]> {
  return new Map(Object.entries(users).map(([id, keys]) => [id, [...keys]]));
}
