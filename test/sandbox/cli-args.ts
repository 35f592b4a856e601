/**
 * The command line of `npm run sandbox`: what to serve (error format, injected faults, port),
 * parsed with node:util parseArgs. Unknown flags and bad values are usage errors (exit 2).
 */
import { parseArgs } from "node:util";
import type { ErrorFormat, Fault } from "./types.ts";

export const DEFAULT_PORT = 4010;

/** Fault kinds as `startSandbox().addFault` names them. */
const FAULT_KINDS = ["status503", "status429", "status500", "html502", "reset", "truncated", "latency"] as const;
type FaultKind = (typeof FAULT_KINDS)[number];

/** `latency` without `:<ms>` waits this long. */
const DEFAULT_LATENCY_MS = 1000;
/** `status429` without `:<seconds>` sends `Retry-After: 1`. */
const DEFAULT_RETRY_AFTER = "1";

export const USAGE = `usage: npm run sandbox -- [--errors legacy|problem] [--fault <kind>[,<kind>...]] [--port <n>] [--help]
  --errors  error bodies: legacy {"detail": ...} (default) or RFC 9457 application/problem+json
  --fault   faults for the next requests, one request each, in the order given (repeat a kind to hit
            more requests): ${FAULT_KINDS.join(", ")};
            latency:<ms> (default ${DEFAULT_LATENCY_MS}), status429:<Retry-After> (default ${DEFAULT_RETRY_AFTER})
  --help    this text
  --port    port on 127.0.0.1 (default PORT, else ${DEFAULT_PORT}; 0 for any free port)`;

export interface SandboxCommand {
  port: number;
  errorFormat: ErrorFormat;
  /** Each hits one request, in this order. */
  faults: Fault[];
}

/** The parsed command, or what to print (message and usage) and the exit code. */
/** `code: 0` is `--help`: the usage on stdout, and nothing started. */
export type Parsed = { ok: true; command: SandboxCommand } | { ok: false; code: 0 | 2; message: string };

export function parseSandboxArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): Parsed {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        errors: { type: "string" },
        fault: { type: "string", multiple: true },
        port: { type: "string", short: "p" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { ok: false, code: 0, message: USAGE };
    return {
      ok: true,
      command: {
        port: parsePort(values.port ?? (env.PORT || String(DEFAULT_PORT))),
        errorFormat: parseErrorFormat(values.errors ?? "legacy"),
        faults: (values.fault ?? []).flatMap((list) => list.split(",")).map(parseFault),
      },
    };
  } catch (error) {
    return { ok: false, code: 2, message: `sandbox: ${(error as Error).message}\n${USAGE}` };
  }
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`invalid port ${JSON.stringify(raw)} (expected 0-65535)`);
  }
  return port;
}

function parseErrorFormat(raw: string): ErrorFormat {
  if (raw === "legacy" || raw === "problem") return raw;
  throw new Error(`--errors takes legacy or problem, not ${JSON.stringify(raw)}`);
}

function parseFault(spec: string): Fault {
  const [name = "", value, ...extra] = spec.trim().split(":");
  const kind = FAULT_KINDS.find((k) => k === name) as FaultKind | undefined;
  if (kind === undefined) throw new Error(`unknown fault ${JSON.stringify(name)} (expected ${FAULT_KINDS.join(", ")})`);
  if (extra.length > 0 || value === "" || (value !== undefined && kind !== "latency" && kind !== "status429")) {
    throw new Error(`fault ${JSON.stringify(spec)}: only latency:<ms> and status429:<Retry-After> take a value`);
  }
  switch (kind) {
    case "latency": {
      const ms = value === undefined ? DEFAULT_LATENCY_MS : Number(value);
      if (!Number.isInteger(ms) || ms < 0)
        throw new Error(`fault ${JSON.stringify(spec)}: latency takes milliseconds >= 0`);
      return { kind, ms };
    }
    case "status429":
      return { kind, retryAfter: value ?? DEFAULT_RETRY_AFTER };
    default:
      return { kind };
  }
}

/** One fault as the start banner lists it. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case "latency":
      return `latency ${fault.ms} ms`;
    case "status429":
      return fault.retryAfter === undefined ? "429" : `429 (Retry-After: ${fault.retryAfter})`;
    case "status503":
      return "503";
    case "status500":
      return "500";
    case "html502":
      return "502 with an HTML page";
    case "reset":
      return "connection reset";
    case "truncated":
      return "200 with a truncated body";
  }
}
