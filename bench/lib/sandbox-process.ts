/** Starts bench/children/sandbox-server.ts and waits for its address. */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { REPO, tsxNode } from "./paths.ts";

export interface SandboxProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startSandboxProcess(users: Record<string, number> = {}): Promise<SandboxProcess> {
  const [node, ...args] = tsxNode(path.join(REPO, "bench/children/sandbox-server.ts"), JSON.stringify({ users }));
  const child = spawn(node as string, args, { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`sandbox process exited with ${code} before listening`)));
  });
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return {
    url,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
