/**
 * Cursor pagination as an async iterator (octokit `iterator.ts`, openai-node `iterPages`).
 * Pages are fetched lazily, one at a time: `break` stops fetching at once, and nothing is
 * kept between pages except the cursors already seen (to refuse a cursor loop).
 * A failed page throws `DevinApiError` from the loop: an iterator cannot resolve to a result.
 */
import { DevinApiError, type PaginationFailure } from "./errors.ts";
import type { AnyResult, Ok } from "./result.ts";
import type { PageShape } from "./types.ts";

export interface PaginateOptions {
  /** Page size, sent as `first`. Must be an integer >= 1. @default the server's page size */
  first?: number;
  /** Stop after this many items; no page beyond the one that reaches it is fetched. @default Infinity */
  maxItems?: number;
  /** Stop after this many pages. @default Infinity */
  maxPages?: number;
}

export interface Paginator<Item, Page> extends AsyncIterable<Item> {
  /** Whole pages, each as the server sent it (`items`, `has_next_page`, `end_cursor`, ...). */
  pages(): AsyncGenerator<Page, undefined>;
  /** Collects at most `limit` items, fetching no more pages than needed. */
  toArray(limit: number): Promise<Item[]>;
}

type PageInit = PaginateOptions & { params?: { query?: Record<string, unknown> } & Record<string, unknown> };

export function paginator<Item, Page extends PageShape<Item>>(
  call: (init: Record<string, unknown>) => Promise<AnyResult>,
  init: PageInit = {},
): Paginator<Item, Page> {
  const { first, maxItems = Number.POSITIVE_INFINITY, maxPages = Number.POSITIVE_INFINITY, ...callInit } = init;

  async function* pages(): AsyncGenerator<Page, undefined> {
    const seen = new Set<string>();
    let after: string | undefined;
    let pageCount = 0;
    let itemCount = 0;
    while (pageCount < maxPages && itemCount < maxItems) {
      const query: Record<string, unknown> = { ...callInit.params?.query };
      if (first !== undefined) query.first = first;
      if (after !== undefined) query.after = after;
      const result = await call({ ...callInit, params: { ...callInit.params, query } });
      if (result.kind !== "ok") throw new DevinApiError(result);
      const page = result.data as Page | null;
      if (!Array.isArray(page?.items) || !["boolean", "undefined"].includes(typeof page.has_next_page)) {
        throw broken(result, "malformed_page", "the page has no `items` array");
      }
      pageCount++;
      itemCount += page.items.length;
      yield page;
      if (!page.has_next_page) return undefined;
      // A next page without a usable cursor would refetch page one forever.
      const cursor = page.end_cursor;
      if (typeof cursor !== "string" || cursor === "") {
        throw broken(result, "missing_cursor", "`has_next_page` is true but `end_cursor` is empty");
      }
      if (seen.has(cursor)) throw broken(result, "repeated_cursor", `cursor ${JSON.stringify(cursor)} came back again`);
      seen.add(cursor);
      after = cursor;
    }
  }

  // Hand-written rather than an async generator: a generator costs several promise turns per
  // item, which made iterating 100k keys ~1.5x slower than a plain fetch loop.
  function items(): AsyncIterableIterator<Item> {
    const source = pages();
    let page: Item[] = [];
    let index = 0;
    let count = 0;
    const end = (): Promise<IteratorResult<Item>> =>
      source.return(undefined).then(() => ({ done: true, value: undefined }));
    const refill = async (): Promise<IteratorResult<Item>> => {
      while (index >= page.length) {
        const next = await source.next();
        if (next.done) return next;
        page = next.value.items;
        index = 0;
      }
      return iterator.next();
    };
    const iterator: AsyncIterableIterator<Item> = {
      next() {
        if (count >= maxItems) return end();
        if (index >= page.length) return refill();
        count++;
        return Promise.resolve({ done: false, value: page[index++] as Item });
      },
      return: end,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  return {
    [Symbol.asyncIterator]: items,
    pages,
    async toArray(limit) {
      const out: Item[] = [];
      if (limit <= 0) return out;
      for await (const item of items()) {
        if (out.push(item) >= limit) break;
      }
      return out;
    },
  };
}

function broken(result: Ok<unknown>, reason: PaginationFailure["reason"], what: string): DevinApiError {
  return new DevinApiError({
    kind: "pagination",
    ok: false,
    reason,
    status: result.status,
    method: result.method,
    path: result.path,
    requestId: result.requestId,
    attempts: result.attempts,
    message: `${result.method} ${result.path} returned a broken page: ${what}${
      result.requestId ? ` (request id ${result.requestId})` : ""
    }; stopped to avoid an endless loop`,
  });
}
