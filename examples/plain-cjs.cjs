/**
 * List a service user's API keys from plain JavaScript, with CommonJS `require`. The package is
 * ESM; Node.js 20.19 and later load it through `require` (older versions need `import()`).
 *
 *   npm run build                      # once: the package's dist/ ("devin-api-client" resolves to it)
 *   npm run sandbox                    # in another terminal: prints its URL and token
 *   DEVIN_API_BASE_URL=http://127.0.0.1:4010 DEVIN_API_KEY=cog_sandbox_token node examples/plain-cjs.cjs
 *
 * Against the real API, set only DEVIN_API_KEY: a service-user key whose user has the
 * `ManageAccountServiceUsers` permission. Pass another service user's ID as the first argument.
 */
const { createDevinClient, isDevinApiError } = require("devin-api-client");

async function main() {
  const serviceUser = process.argv[2] ?? "service-user-alpha";
  // The token comes from DEVIN_API_KEY, the address from DEVIN_API_BASE_URL (else https://api.devin.ai).
  const devin = createDevinClient();
  for await (const key of devin.listServiceUserApiKeys(serviceUser)) {
    console.log(`${key.api_key_id}  ${key.api_key_name}  ${key.is_active ? "active" : "inactive"}`);
  }
}

main().catch((error) => {
  // A page that fails ends the loop with a DevinApiError; its message says what to try next.
  if (!isDevinApiError(error)) throw error;
  console.error(error.message);
  process.exitCode = 1;
});
