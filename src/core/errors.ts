/**
 * The opt-in throwing style: one error class carrying the same `kind` as the result it
 * came from. Recognise it with `isDevinApiError`, which checks `name` so it also works
 * across realms and duplicated package copies (ky `type-guards.ts`).
 */
import type { AnyFailure, Failure, FailureKind } from "./result.ts";

/** @deprecated The same union as `FailureKind`, its one name now; kept so existing imports compile. */
export type DevinErrorKind = FailureKind;

export class DevinApiError<F extends AnyFailure = AnyFailure> extends Error {
  override readonly name = "DevinApiError";
  readonly kind: F["kind"];
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  /** The failure result this error was made from. */
  readonly result: F;

  constructor(result: F) {
    super(result.message, "cause" in result ? { cause: result.cause } : undefined);
    this.kind = result.kind;
    this.status = result.status;
    this.method = result.method;
    this.path = result.path;
    this.requestId = result.requestId;
    this.result = result;
  }
}

export function isDevinApiError(value: unknown): value is DevinApiError {
  return (
    value instanceof DevinApiError ||
    ((value as Error | null)?.name === "DevinApiError" && typeof (value as { kind?: unknown }).kind === "string")
  );
}

/** The data of an `ok` result; throws `DevinApiError` for every other kind. */
export function unwrap<R extends { kind: string }>(result: R): R extends { kind: "ok"; data: infer T } ? T : never {
  if (result.kind === "ok") return (result as unknown as { data: never }).data;
  throw new DevinApiError(result as unknown as Failure);
}
