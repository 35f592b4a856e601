/**
 * The HTTP side of a local API server, shared by the sandbox and the fixture server
 * (test/support/fixture-server.ts): listening on 127.0.0.1, recording requests, injected
 * faults, auth, x-request-id, error bodies in either format, and closing promptly. A server
 * adds only its routes and what it records. Nothing here knows an endpoint.
 *
 * Request flow: record -> injected fault (if any) -> route (404/405) -> auth (401) -> handler.
 * Faults come before routing because they model the network and proxies in front of the API.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ApiError, errorReply, errors } from "./errors.ts";
import { FaultQueue } from "./faults.ts";
import type { Reply } from "./reply.ts";
import type { ErrorFormat, Fault, ServerControls } from "./types.ts";

const HTML_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

const TRUNCATED_CLAIMED_LENGTH = 4096;

export function sendReply(res: ServerResponse, reply: Reply, requestId: string): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-length": Buffer.byteLength(reply.body),
    "x-request-id": requestId,
  });
  res.end(reply.body);
}

export function sendError(
  res: ServerResponse,
  error: ApiError,
  format: ErrorFormat,
  instance: string,
  requestId: string,
): void {
  sendReply(res, errorReply(error, format, instance), requestId);
}

export interface FaultContext {
  format: ErrorFormat;
  /** The request path, the `instance` of a problem+json body. */
  instance: string;
  requestId: string;
  /** Waits `ms`; the server cancels pending waits when it closes. */
  delay: (ms: number) => Promise<void>;
  /**
   * The prefix of a real 200 body that a `truncated` fault sends, so a client that ignores
   * Content-Length would see broken JSON too.
   */
  truncatedBody: string;
}

/** Answers a fault; returns false for latency, after which the request proceeds normally. */
export async function applyFault(fault: Fault, res: ServerResponse, context: FaultContext): Promise<boolean> {
  const { format, instance, requestId } = context;
  switch (fault.kind) {
    case "latency":
      await context.delay(fault.ms);
      return false;
    case "reset":
      res.socket?.destroy();
      return true;
    case "status429": {
      const reply = errorReply(errors.tooManyRequests, format, instance);
      if (fault.retryAfter !== undefined) reply.headers["retry-after"] = fault.retryAfter;
      sendReply(res, reply, requestId);
      return true;
    }
    case "status500":
      sendError(res, errors.internal, format, instance, requestId);
      return true;
    case "status503":
      sendError(res, errors.unavailable, format, instance, requestId);
      return true;
    case "html502":
      sendReply(res, { status: 502, headers: { "content-type": "text/html" }, body: HTML_502 }, requestId);
      return true;
    case "truncated":
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": TRUNCATED_CLAIMED_LENGTH,
        "x-request-id": requestId,
      });
      // end() rather than destroy() so the partial body is flushed before the FIN.
      res.write(context.truncatedBody, () => res.socket?.end());
      return true;
  }
}

export interface Listening {
  /** e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  /** Waits `ms`; cancelled (never resolving) when the server closes. */
  delay(ms: number): Promise<void>;
  /** Closes the server and all open sockets, keep-alive and stalled ones included. */
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1. A handler that throws answers 500 (or drops the connection
 * once headers are out), never a hung request.
 */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: { port?: number | undefined; name: string; onCrash: (req: IncomingMessage, res: ServerResponse) => void },
): Promise<Listening> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`${options.name}: handler failed`, error);
      if (!res.headersSent) options.onCrash(req, res);
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
    delay: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** A request as a server's `record` and `route` see it. */
export interface Incoming {
  /** Upper case. */
  method: string;
  /** The request target exactly as received: path and query, nothing decoded. */
  url: string;
  /** The path part of `url`, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body as text ("" when there is none). */
  body: string;
}

/** What `route` found: no route (404), a route without this method (405 with Allow), or the handler. */
export type Routed = undefined | { allow: string } | (() => Reply | ApiError);

export interface ApiServerOptions<Recorded> {
  /** Names the server in the log line of a crashed handler. */
  name: string;
  port?: number | undefined;
  token: string;
  errorFormat: ErrorFormat;
  /** Every response carries x-request-id `${prefix}${n}`. */
  requestIdPrefix: string;
  /** See FaultContext.truncatedBody. */
  truncatedBody: string;
  record(request: Incoming): Recorded;
  route(request: Incoming): Routed;
}

export async function startApiServer<Recorded>(options: ApiServerOptions<Recorded>): Promise<ServerControls<Recorded>> {
  let errorFormat = options.errorFormat;
  const faults = new FaultQueue();
  const requests: Recorded[] = [];
  let requestCount = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `${options.requestIdPrefix}${++requestCount}`;
    const url = req.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const chunks: Buffer[] = [];
    // Read the whole body, also to keep keep-alive connections usable.
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const incoming: Incoming = {
      method: (req.method ?? "GET").toUpperCase(),
      url,
      path,
      query: new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1)),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(options.record(incoming));
    const fail = (error: ApiError) => sendError(res, error, errorFormat, path, requestId);

    const fault = faults.take(incoming.method, url);
    const context = {
      format: errorFormat,
      instance: path,
      requestId,
      delay: server.delay,
      truncatedBody: options.truncatedBody,
    };
    if (fault !== undefined && (await applyFault(fault, res, context))) return;
    if (res.destroyed) return; // closed while a latency fault was waiting

    const handler = options.route(incoming);
    if (handler === undefined) return fail(errors.routeNotFound);
    if (typeof handler !== "function") {
      res.setHeader("allow", handler.allow);
      return fail(errors.methodNotAllowed);
    }
    const authError = checkAuth(req.headers.authorization, options.token);
    if (authError !== undefined) {
      res.setHeader("www-authenticate", "Bearer");
      return fail(authError);
    }
    const result = handler();
    if ("body" in result) return sendReply(res, result, requestId);
    fail(result);
  }

  const server = await listen(handle, {
    port: options.port,
    name: options.name,
    // A bug in the server must surface as a 500, never as a hung request.
    onCrash: (req, res) => sendError(res, errors.internal, errorFormat, req.url ?? "/", "req_error"),
  });

  return {
    url: server.url,
    token: options.token,
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
    close: server.close,
  };
}

/** Missing header -> "Not authenticated"; anything but `Bearer <token>` -> invalid credentials. */
function checkAuth(authorization: string | undefined, token: string): ApiError | undefined {
  if (authorization === undefined || authorization.trim() === "") return errors.notAuthenticated;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] === token ? undefined : errors.invalidToken;
}
