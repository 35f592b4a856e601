import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DO_SPEC_DIR = path.resolve(REPO, "../shared/bench/digital-ocean-api");
export const BIN = {
  redocly: path.join(REPO, "node_modules/@redocly/cli/bin/cli.js"),
  openapiTypescript: path.join(REPO, "node_modules/openapi-typescript/bin/cli.js"),
  tsc: path.join(REPO, "node_modules/typescript/bin/tsc"),
};
// By URL, so a child's working directory (a temp copy of the project) does not matter.
const TSX = pathToFileURL(path.join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
/** `node --import tsx <script>`, the way `npm run generate` runs scripts, minus npm's own start-up. */
export const tsxNode = (script: string, ...args: string[]) => [process.execPath, "--import", TSX, script, ...args];
