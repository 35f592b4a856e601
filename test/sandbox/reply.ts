/**
 * What a handler answers, before it is written to the socket. Keeping handlers pure
 * (request in, Reply out) lets the server add x-request-id and faults in one place.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonReply(status: number, value: unknown, contentType = "application/json"): Reply {
  return { status, headers: { "content-type": contentType }, body: JSON.stringify(value) };
}
