/**
 * Convenience names for the two service-user API-key operations. Both are thin calls of
 * the generic client; nothing else in src/ knows these endpoints.
 */
import type { components, operations, paths } from "../generated/schema.ts";
import type { ApiClient } from "./client.ts";
import type { PaginateOptions, Paginator } from "./paginate.ts";
import type { Conflict, Result } from "./result.ts";
import type { BodyAt, CallOptions } from "./types.ts";

type ListOp =
  operations["handle_list_service_user_api_keys_v3beta1_enterprise_service_users__service_user_id__api_keys_get"];
type RevokeOp =
  operations["handle_revoke_service_user_api_key_v3beta1_enterprise_service_users__service_user_id__api_keys__api_key_id__delete"];
type ApiKey = components["schemas"]["ApiKeyResponse"];
type Page = components["schemas"]["PaginatedResponse_ApiKeyResponse_"];

const LIST = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys";
const REVOKE = "/v3beta1/enterprise/service-users/{service_user_id}/api-keys/{api_key_id}";

/**
 * A 409 on a retried revoke: the first attempt most likely revoked the key and its response
 * was lost. Distinct from `ok` (revoked by this call, confirmed) and from a first-attempt
 * `conflict` (the key was revoked before this call).
 */
export interface AlreadyRevoked extends Omit<Conflict<BodyAt<RevokeOp, 409>>, "kind"> {
  kind: "already_revoked";
  retried: true;
}

export type RevokeResult = Result<RevokeOp> | AlreadyRevoked;

export interface ListApiKeysOptions extends CallOptions, PaginateOptions {
  /** Only keys in this state. @default "all" */
  status?: NonNullable<NonNullable<ListOp["parameters"]["query"]>["status"]>;
}

export interface ServiceUserApiKeys {
  /** Every API key of a service user, fetched page by page as the loop advances. */
  listServiceUserApiKeys(serviceUserId: string, options?: ListApiKeysOptions): Paginator<ApiKey, Page>;
  /**
   * Revokes one key. DELETE is not retried unless `retry: { methods: ["DELETE"] }` is passed;
   * then a 409 on a retry resolves to `already_revoked`.
   */
  revokeServiceUserApiKey(serviceUserId: string, apiKeyId: string, options?: CallOptions): Promise<RevokeResult>;
}

export function serviceUserApiKeys(client: ApiClient<paths>): ServiceUserApiKeys {
  return {
    listServiceUserApiKeys(serviceUserId, { status, ...options } = {}) {
      return client.paginate(LIST, {
        ...options,
        params: { path: { service_user_id: serviceUserId }, query: status ? { status } : {} },
      });
    },
    async revokeServiceUserApiKey(serviceUserId, apiKeyId, options) {
      const result = await client.DELETE(REVOKE, {
        ...options,
        params: { path: { service_user_id: serviceUserId, api_key_id: apiKeyId } },
      });
      return result.kind === "conflict" && result.attempts > 1
        ? { ...result, kind: "already_revoked", retried: true }
        : result;
    },
  };
}
