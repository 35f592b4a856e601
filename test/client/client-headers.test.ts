/**
 * docs/client.md, "Creating a client": `Authorization` always comes from `token`. A per-call
 * header that sets it is `invalid_input` (serialization.test.ts); a client-wide one is refused
 * when the client is created, rather than dropped without a word.
 */
import { describe, expect, it } from "vitest";
import { createApiClient } from "../../src/core/client.ts";

const TOKEN = "cog_client_headers_test_token";

describe("client-wide headers", () => {
  it.each([
    ["a record", { Authorization: "Bearer cog_other" }],
    ["a record in lower case", { authorization: "Bearer cog_other" }],
    ["a Headers object", new Headers({ AUTHORIZATION: "Bearer cog_other" })],
    ["an array of pairs", [["Authorization", "Bearer cog_other"]] as [string, string][]],
  ])("refuse Authorization given as %s, naming `token`, without echoing either value", (_name, headers) => {
    const create = () => createApiClient({ baseUrl: "http://127.0.0.1:9", token: TOKEN, headers });
    expect(create).toThrow(TypeError);
    expect(create).toThrow("`headers` sets Authorization, which comes from `token` only");
    expect(create).not.toThrow(TOKEN);
    expect(create).not.toThrow("cog_other");
  });

  it("accept other headers", () => {
    expect(() =>
      createApiClient({ baseUrl: "http://127.0.0.1:9", token: TOKEN, headers: { "x-trace": "1" } }),
    ).not.toThrow();
  });
});
