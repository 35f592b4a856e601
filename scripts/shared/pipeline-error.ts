/**
 * A failure the pipeline reports to a person: what is wrong and where.
 * `file` is relative to the project root; `line`/`column` are 1-based.
 */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer or JSONPath inside the file, when there is no line to point at. */
  pointer?: string;
}

/** One of several problems of a failure (lint findings, join conflicts): where, what, and what to do. */
export interface ErrorDetail {
  locations: readonly ErrorLocation[];
  message: string;
  /** What to do about this problem, when it differs from the error's own hint. */
  hint?: string;
}

/**
 * A problem in the project (spec/, redocly.yaml, the command line) that the person can fix.
 * Anything else that is thrown is a bug in scripts/ (see shared/cli.ts).
 */
export class PipelineError extends Error {
  override readonly name = "PipelineError";
  readonly locations: readonly ErrorLocation[];
  /**
   * What the person should do next, printed last. Every failure says it: `undefined` only when
   * each of `details` carries its own (join conflicts), the last of which then ends the message.
   */
  readonly hint: string | undefined;
  /** One entry per problem, when a failure has several (lint findings, join conflicts). */
  readonly details: readonly ErrorDetail[] | undefined;

  // `hint` is not optional, so that no new failure can leave it out by accident.
  constructor(
    message: string,
    locations: ErrorLocation | readonly ErrorLocation[],
    hint: string | undefined,
    details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.locations = Array.isArray(locations) ? locations : [locations as ErrorLocation];
    this.hint = hint;
    this.details = details;
  }
}

export function formatLocation(loc: ErrorLocation): string {
  let out = loc.file;
  if (loc.line !== undefined) out += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
  if (loc.pointer !== undefined) out += ` (at ${loc.pointer})`;
  return out;
}

/**
 * One line per location, then the message, then the hint: the shape every CLI here prints.
 * With `details`, each problem's locations are followed by its own message (and hint).
 */
export function formatPipelineError(error: PipelineError): string {
  let head: string;
  if (error.details) {
    const items = error.details.map((d) =>
      [...d.locations.map(formatLocation), `    ${d.message}`, ...(d.hint ? [`    ${d.hint}`] : [])].join("\n"),
    );
    head = `${error.message}\n${items.join("\n")}`;
  } else {
    const where = error.locations.map(formatLocation);
    head = where.length > 0 ? `${where.join("\n")}\n  ${error.message}` : error.message;
  }
  return error.hint ? `${head}\n  ${error.hint}` : head;
}

export function isPipelineError(value: unknown): value is PipelineError {
  return value instanceof Error && value.name === "PipelineError";
}
