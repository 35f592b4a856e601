/**
 * One HTTP exchange: URL, headers, body, openapi-fetch middleware, fetch. openapi-fetch's
 * own request code is not used at runtime (the client must stay within 5 kB min+gzip and
 * it would be half of that); its `Middleware` contract is kept: `onRequest` may replace
 * the Request or answer with a Response, `onResponse` may replace the Response, `onError`
 * may turn a fetch failure into a Response or another Error.
 */
import type { HeadersOptions, MergedOptions, Middleware, MiddlewareCallbackParams } from "openapi-fetch";

export interface SendInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  headers?: HeadersOptions;
  body?: unknown;
}

export interface Transport {
  send(method: string, path: string, init: SendInit, signal: AbortSignal | undefined): Promise<Response>;
  middleware: Middleware[];
}

const pair = (name: string, value: unknown) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;

/** openapi-fetch's default query style: arrays as repeated `form` parameters, objects as `deepObject`. */
export function serializeQuery(query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value == null) continue;
    if (Array.isArray(value)) for (const v of value) parts.push(pair(name, v));
    else if (typeof value === "object")
      for (const [k, v] of Object.entries(value)) parts.push(pair(`${name}[${k}]`, v));
    else parts.push(pair(name, value));
  }
  return parts.join("&");
}

/** Every path parameter percent-encoded: "/", "?", "#", "%" and spaces cannot change the URL's shape. */
export const serializePath = (path: string, values: Record<string, unknown> = {}): string =>
  path.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));

/** Applies `source` over `target`; like openapi-fetch, `null` removes a header and arrays append. */
export function applyHeaders(target: Headers, source: HeadersOptions | undefined): Headers {
  if (source instanceof Headers || Array.isArray(source)) {
    for (const [k, v] of new Headers(source)) target.set(k, v);
  } else if (source) {
    for (const [k, v] of Object.entries(source)) {
      if (v === null) target.delete(k);
      else if (Array.isArray(v)) for (const item of v) target.append(k, String(item));
      else if (v !== undefined) target.set(k, String(v));
    }
  }
  return target;
}

export function createTransport(
  baseUrl: string,
  headers: Headers,
  custom: ((input: Request) => Promise<Response>) | undefined,
): Transport {
  // Without a custom fetch, the signal goes to fetch() only: undici links a signal given to
  // `new Request` and again when fetch() copies that Request, and each link costs ~10 µs.
  const fetcher = (request: Request, signal: AbortSignal | undefined): Promise<Response> =>
    custom ? custom(request) : fetch(request, signal && { signal });
  const middleware: Middleware[] = [];
  const options = Object.freeze({
    baseUrl,
    fetch: custom ?? fetch,
    parseAs: "text",
    querySerializer: serializeQuery,
    bodySerializer: JSON.stringify,
    pathSerializer: serializePath,
  }) as unknown as MergedOptions;
  let ids = 0;

  return {
    middleware,
    async send(method, path, init, signal) {
      const { params = {}, body } = init;
      const query = serializeQuery(params.query);
      const h = applyHeaders(applyHeaders(new Headers(headers), init.headers), params.header as HeadersOptions);
      if (body !== undefined && !(body instanceof FormData) && !h.has("content-type")) {
        h.set("content-type", "application/json");
      }
      let request = new Request(`${baseUrl}${serializePath(path, params.path)}${query ? `?${query}` : ""}`, {
        method,
        headers: h,
        body: body === undefined ? null : body instanceof FormData ? body : JSON.stringify(body),
        signal: (custom && signal) || null,
      });
      if (!middleware.length) return fetcher(request, signal);

      const context = { request, schemaPath: path, params, options, id: String(++ids) } as MiddlewareCallbackParams;
      for (const m of middleware) {
        const out = await m.onRequest?.(context);
        if (out instanceof Response) return out; // answered by middleware: no fetch, no onResponse
        if (out instanceof Request) context.request = request = out;
      }
      let response: Response | undefined;
      try {
        response = await fetcher(request, signal);
      } catch (error) {
        let failure: unknown = error;
        for (let i = middleware.length - 1; i >= 0 && !response; i--) {
          const out = await middleware[i]?.onError?.({ ...context, error: failure });
          if (out instanceof Response) response = out;
          else if (out instanceof Error) failure = out;
        }
        if (!response) throw failure;
      }
      for (let i = middleware.length - 1; i >= 0; i--) {
        const out: unknown = await middleware[i]?.onResponse?.({ ...context, response });
        if (out instanceof Response) response = out;
      }
      return response;
    },
  };
}
