/**
 * Opaque page cursors: base64url of "v1:<service user id>:<offset>", where offset is the
 * index in the service user's key list just after the last item returned. Binding the
 * service user makes a cursor from another user "unknown" (422) instead of silently
 * paging somewhere else.
 */

export function encodeCursor(serviceUserId: string, offset: number): string {
  return Buffer.from(`v1:${serviceUserId}:${offset}`, "utf8").toString("base64url");
}

/** The offset, or undefined when the cursor is garbled, foreign or past the end of the list. */
export function decodeCursor(cursor: string, serviceUserId: string, length: number): number | undefined {
  // Buffer.from(..., "base64url") ignores junk characters; reject them up front.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = /^v1:(.+):(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (match === null || match[1] !== serviceUserId) return undefined;
  const offset = Number(match[2]);
  return offset >= 1 && offset <= length ? offset : undefined;
}
