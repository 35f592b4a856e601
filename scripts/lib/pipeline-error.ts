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

export class PipelineError extends Error {
  override readonly name = "PipelineError";
  readonly locations: readonly ErrorLocation[];
  /** What the person should do next, printed after the message. */
  readonly hint: string | undefined;
  /** One message per location, when a failure has several (lint findings). */
  readonly details: readonly { location: ErrorLocation; message: string }[] | undefined;

  constructor(
    message: string,
    locations: ErrorLocation | readonly ErrorLocation[] = [],
    hint?: string,
    details?: readonly { location: ErrorLocation; message: string }[],
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
 * With `details` (one message per location), each location is followed by its own message.
 */
export function formatPipelineError(error: PipelineError): string {
  let head: string;
  if (error.details) {
    const items = error.details.map((d) => `${formatLocation(d.location)}\n    ${d.message}`);
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
