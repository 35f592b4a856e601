import path from "node:path";
import { measure } from "./measure.ts";
import { BIN, REPO } from "./paths.ts";

/** Writes the client `redocly generate-client` emits for our bundle: the reference row of two sections. */
export async function emitRedoclyClient(outFile: string): Promise<void> {
  await measure({
    label: "redocly generate-client",
    argv: [
      process.execPath,
      BIN.redocly,
      "generate-client",
      path.join(REPO, "generated/devin-api.yaml"),
      "-o",
      outFile,
    ],
  });
}
