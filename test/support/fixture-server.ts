/**
 * A local server for the fixture API (test/fixtures/project, built from the fictional pages in
 * test/fixtures/docs-v3): organizations with sessions and secrets in memory, served over
 * node:http on 127.0.0.1 for the client tests, which thereby depend on no documented endpoint.
 *
 * Request flow, as in the sandbox: record -> injected fault (if any) -> route (404/405) ->
 * auth (401) -> handler. The HTTP plumbing, faults, error bodies (legacy `{detail}` or
 * problem+json), cursors and page-size checks are the sandbox's (test/sandbox/).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { components } from "../fixtures/project/generated/schema.ts";
import { encodeCursor } from "../sandbox/cursor.ts";
import { type ApiError, type ValidationIssue, validationError } from "../sandbox/errors.ts";
import { type Incoming, type Routed, startApiServer } from "../sandbox/http.ts";
import { parseCursor, parsePageSize } from "../sandbox/list-query.ts";
import { jsonReply, type Reply } from "../sandbox/reply.ts";
import { decodeSegment } from "../sandbox/routes.ts";
import type { ErrorFormat, ServerControls } from "../sandbox/types.ts";

export type { ErrorFormat, Fault, FaultRule } from "../sandbox/types.ts";
export type Session = components["schemas"]["SessionResponse"];
export type Secret = components["schemas"]["SecretResponse"];

export interface Organization {
  sessions: Session[];
  secrets: Secret[];
}

export interface RecordedRequest {
  method: string;
  /** The request target exactly as received: path and query, nothing decoded. */
  url: string;
  /** The path part of `url`, still percent-encoded. */
  path: string;
  /** The decoded query; for a repeated parameter the last value (see `url` for all of them). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The request body as text ("" when there is none). */
  body: string;
}

export interface FixtureServerOptions {
  /** Accepted bearer token. @default "cog_fixture_token" */
  token?: string;
  /** @default "legacy" */
  errorFormat?: ErrorFormat;
  /** Organizations by id. Arrays are copied, items never edited in place. @default seedOrganizations() */
  organizations?: Record<string, Partial<Organization>>;
  /** Page size of the secrets list when `first` is absent (the sessions list defaults to 100, as its spec says). @default 25 */
  defaultPageSize?: number;
  /** Largest `first` accepted; above it answers 422. @default 200 */
  maxPageSize?: number;
}

export interface FixtureServer extends ServerControls<RecordedRequest> {
  /** Live state: deletions and created sessions show up here. */
  organizations: Map<string, Organization>;
}

/** The fixture API's fixed "now" (unix seconds, 2026-01-01T00:00:00Z). */
export const FIXTURE_NOW = 1_767_225_600;
const DEFAULT_TOKEN = "cog_fixture_token";
/** SessionListQuery.first: `default: 100` in list-sessions.md. */
const SESSIONS_DEFAULT_FIRST = 100;
const ORG_PREFIX = "org-";
// A prefix of a real page, so a client that ignores Content-Length would see broken JSON too.
const TRUNCATED_BODY = '{"items":[{"session_id":"session-alpha-1","status":"running","tags":["ci"';

const fixtureErrors = {
  organizationNotFound: {
    status: 404,
    slug: "organization-not-found",
    title: "Organization not found",
    detail: "Organization not found",
  },
  secretNotFound: { status: 404, slug: "secret-not-found", title: "Secret not found", detail: "Secret not found" },
} satisfies Record<string, ApiError>;

function session(id: string, status: Session["status"], tags: string[], age: number): Session {
  return { session_id: id, status, tags, created_at: FIXTURE_NOW - age * 3600 };
}

function secret(id: string, name: string, type: Secret["type"], age: number): Secret {
  return { secret_id: id, name, type, created_at: FIXTURE_NOW - age * 86_400 };
}

/**
 * "org-alpha" has 6 sessions (4 running, 2 finished; tags "ci", "nightly", "docs") and 5
 * secrets of every type; "org-empty" has none. Fresh objects on every call.
 */
export function seedOrganizations(): Record<string, Organization> {
  return {
    "org-alpha": {
      sessions: [
        session("session-alpha-1", "running", ["ci"], 60),
        session("session-alpha-2", "finished", ["ci", "nightly"], 50),
        session("session-alpha-3", "running", ["docs"], 40),
        session("session-alpha-4", "running", ["ci", "nightly"], 30),
        session("session-alpha-5", "finished", [], 20),
        session("session-alpha-6", "running", ["ci", "docs", "nightly"], 10),
      ],
      secrets: [
        secret("secret-alpha-1", "GITHUB_TOKEN", "key_value", 90),
        secret("secret-alpha-2", "jira-session", "cookie", 80),
        secret("secret-alpha-3", "aws-mfa", "totp", 70),
        secret("secret-alpha-4", "NPM_TOKEN", "key_value", 60),
        secret("secret-alpha-5", "grafana", "cookie", 50),
      ],
    },
    "org-empty": { sessions: [], secrets: [] },
  };
}

/** `count` running sessions tagged "bulk", oldest first. */
export function makeSessions(count: number): Session[] {
  const width = Math.max(6, String(count).length);
  return Array.from({ length: count }, (_, i) =>
    session(`session-${String(i + 1).padStart(width, "0")}`, "running", ["bulk"], count - i),
  );
}

/** `count` key-value secrets, oldest first. */
export function makeSecrets(count: number): Secret[] {
  const width = Math.max(6, String(count).length);
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(width, "0");
    return secret(`secret-${n}`, `SECRET_${n}`, "key_value", count - i);
  });
}

interface Call {
  org: string;
  /** Further path parameters, decoded. */
  ids: string[];
  query: URLSearchParams;
  body: string;
}

type Handler = (call: Call) => Reply | ApiError;

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const limits = { defaultPageSize: options.defaultPageSize ?? 25, maxPageSize: options.maxPageSize ?? 200 };
  const organizations = new Map<string, Organization>(
    Object.entries(options.organizations ?? seedOrganizations()).map(([id, org]) => [
      id,
      { sessions: [...(org.sessions ?? [])], secrets: [...(org.secrets ?? [])] },
    ]),
  );
  // The prompt each created session was made from, for `idempotent: true`.
  const prompts = new WeakMap<Session, string>();

  const listSessions: Handler = ({ org, query }) => {
    const issues = onlyKnown(query, ["first", "after", "status", "tags"]);
    const status = oneOf(query, "status", ["running", "finished", "all"], "all", issues);
    const tags = query.getAll("tags");
    const sessions = organizations.get(org)?.sessions;
    const matching = (sessions ?? []).filter(
      (s) => (status === "all" || s.status === status) && tags.every((tag) => s.tags.includes(tag)),
    );
    return page(
      org,
      `${org}/sessions`,
      matching,
      query,
      { ...limits, defaultPageSize: SESSIONS_DEFAULT_FIRST },
      issues,
    );
  };

  const listSecrets: Handler = ({ org, query }) => {
    const issues = onlyKnown(query, ["first", "after", "type"]);
    const type = oneOf(query, "type", ["key_value", "cookie", "totp"], undefined, issues);
    const matching = (organizations.get(org)?.secrets ?? []).filter((s) => type === undefined || s.type === type);
    return page(org, `${org}/secrets`, matching, query, limits, issues);
  };

  /** One page of `items`, the cursor bound to `scope` (list and filters) so a foreign cursor is refused. */
  function page(
    org: string,
    scope: string,
    items: readonly unknown[],
    query: URLSearchParams,
    pageLimits: typeof limits,
    issues: ValidationIssue[],
  ): Reply | ApiError {
    const filters = new URLSearchParams([...query].filter(([name]) => name !== "first" && name !== "after"));
    const bound = `${scope}?${filters}`;
    const first = parsePageSize(query.get("first") ?? undefined, pageLimits);
    const offset = parseCursor(query.get("after") ?? undefined, bound, items.length);
    if (typeof first !== "number") issues.push(first);
    if (typeof offset !== "number") issues.push(offset);
    const invalid = checkOrg(org, issues);
    if (invalid) return invalid;
    if (typeof first !== "number" || typeof offset !== "number") return validationError(issues);
    const end = Math.min(offset + first, items.length);
    return jsonReply(200, {
      items: items.slice(offset, end),
      has_next_page: end < items.length,
      end_cursor: end < items.length ? encodeCursor(bound, end) : null,
      total: items.length,
    });
  }

  /** An organization id must carry its prefix (422), and name a known organization (404). */
  function checkOrg(org: string, issues: ValidationIssue[]): ApiError | undefined {
    if (!(org.startsWith(ORG_PREFIX) && org.length > ORG_PREFIX.length)) {
      const msg = `Value error, organization id must start with '${ORG_PREFIX}'`;
      issues.unshift({ loc: ["path", "org_id"], msg, type: "value_error", input: org });
    }
    // An unknown organization's cursor cannot decode either: report the organization, not the cursor.
    const onlyCursor = issues.every((issue) => issue.loc[1] === "after");
    if (!organizations.has(org) && onlyCursor) return fixtureErrors.organizationNotFound;
    return issues.length > 0 ? validationError(issues) : undefined;
  }

  const createSession: Handler = ({ org, body }) => {
    const issues: ValidationIssue[] = [];
    const request = parseCreateSession(body, issues);
    const invalid = checkOrg(org, issues);
    if (invalid) return invalid;
    const sessions = organizations.get(org)?.sessions as Session[];
    if (request === undefined) return validationError(issues);
    if (request.idempotent === true) {
      const existing = sessions.find((s) => prompts.get(s) === request.prompt);
      if (existing) return jsonReply(200, existing);
    }
    const created = session(`session-${org.slice(ORG_PREFIX.length)}-${sessions.length + 1}`, "running", [], 0);
    created.tags = request.tags ?? [];
    prompts.set(created, request.prompt);
    sessions.push(created);
    return jsonReply(200, created);
  };

  function findSecret(org: string, id: string): { secrets: Secret[]; index: number } | ApiError {
    const invalid = checkOrg(org, []);
    if (invalid) return invalid;
    const secrets = organizations.get(org)?.secrets as Secret[];
    const index = secrets.findIndex((s) => s.secret_id === id);
    return index === -1 ? fixtureErrors.secretNotFound : { secrets, index };
  }

  const getSecret: Handler = ({ org, ids: [id = ""] }) => {
    const found = findSecret(org, id);
    return "status" in found ? found : jsonReply(200, found.secrets[found.index]);
  };

  const deleteSecret: Handler = ({ org, ids: [id = ""] }) => {
    const found = findSecret(org, id);
    if ("status" in found) return found;
    const [deleted] = found.secrets.splice(found.index, 1);
    return jsonReply(200, deleted);
  };

  const routes: [RegExp, Record<string, Handler>][] = [
    [/^\/v3\/organizations\/([^/]+)\/sessions$/, { GET: listSessions, POST: createSession }],
    [/^\/v3\/organizations\/([^/]+)\/secrets$/, { GET: listSecrets }],
    [/^\/v3\/organizations\/([^/]+)\/secrets\/([^/]+)$/, { GET: getSecret, DELETE: deleteSecret }],
  ];

  function route({ method, path, query, body }: Incoming): Routed {
    for (const [pattern, methods] of routes) {
      const segments = pattern.exec(path)?.slice(1).map(decodeSegment);
      if (segments === undefined) continue;
      const [org, ...ids] = segments;
      if (org === undefined || ids.some((id) => id === undefined)) return undefined;
      const handler = methods[method];
      if (handler === undefined) return { allow: Object.keys(methods).join(", ") };
      return () => handler({ org, ids: ids as string[], query, body });
    }
    return undefined;
  }

  const server = await startApiServer<RecordedRequest>({
    name: "fixture server",
    token: options.token ?? DEFAULT_TOKEN,
    errorFormat: options.errorFormat ?? "legacy",
    requestIdPrefix: "req_",
    truncatedBody: TRUNCATED_BODY,
    record: ({ query, ...request }) => ({ ...request, query: Object.fromEntries(query) }),
    route,
  });
  return { ...server, organizations };
}

/** Query parameters the operation does not declare are refused, as a query model with `extra="forbid"` does. */
function onlyKnown(query: URLSearchParams, known: readonly string[]): ValidationIssue[] {
  return [...new Set(query.keys())]
    .filter((name) => !known.includes(name))
    .map((name) => ({
      loc: ["query", name],
      msg: "Extra inputs are not permitted",
      type: "extra_forbidden",
      input: query.get(name),
    }));
}

/** The value of enum parameter `name`, `fallback` when absent; an issue when it is none of `allowed`. */
function oneOf<T extends string, F extends T | undefined>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: F,
  issues: ValidationIssue[],
): T | F {
  const value = query.get(name);
  if (value === null) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const msg = `Input should be ${allowed.map((a) => `'${a}'`).join(", ")}`;
  issues.push({ loc: ["query", name], msg, type: "enum", input: value });
  return fallback;
}

type CreateSessionRequest = components["schemas"]["CreateSessionRequest"];

/** The request body of createSession, or undefined with the issues FastAPI would report. */
function parseCreateSession(body: string, issues: ValidationIssue[]): CreateSessionRequest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    issues.push({ loc: ["body"], msg: "JSON decode error", type: "json_invalid", input: body });
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    issues.push({ loc: ["body"], msg: "Input should be a valid dictionary", type: "model_type", input: parsed });
    return undefined;
  }
  const request = parsed as Record<string, unknown>;
  const field = (name: string, ok: boolean, msg: string, type: string) => {
    if (!ok) issues.push({ loc: ["body", name], msg, type, input: request[name] });
  };
  if (request.prompt === undefined) field("prompt", false, "Field required", "missing");
  else field("prompt", typeof request.prompt === "string", "Input should be a valid string", "string_type");
  const { idempotent, tags, max_acu_limit } = request;
  field(
    "idempotent",
    idempotent === undefined || typeof idempotent === "boolean",
    "Input should be a valid boolean",
    "bool_type",
  );
  const stringList = Array.isArray(tags) && tags.every((t) => typeof t === "string");
  field("tags", tags === undefined || stringList, "Input should be a valid list of strings", "list_type");
  const limit = max_acu_limit === undefined || max_acu_limit === null || Number.isInteger(max_acu_limit);
  field("max_acu_limit", limit, "Input should be a valid integer", "int_type");
  return issues.length > 0 ? undefined : (request as CreateSessionRequest);
}
