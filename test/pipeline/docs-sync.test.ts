/**
 * The docs-sync workflow's two halves, run locally: `makeProposal` (the read-only job, after
 * spec:pull and generate) and scripts/sync/apply-proposal.sh (the job that can push), with a
 * real git repository on each side. Only GitHub's own steps (upload, download, gh) are not run.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { limitBody, MAX_BODY_CHARS, makeProposal, oneLine } from "../../scripts/sync/proposal.ts";
import { copyFixtureProject, edit, FIXTURE, REPO, type TempProject } from "./helpers.ts";

const APPLY = path.join(REPO, "scripts", "sync", "apply-proposal.sh");
const IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgSign=false"];
const git = async (cwd: string, ...args: string[]) =>
  (await promisify(execFile)("git", [...IDENTITY, ...args], { cwd, encoding: "utf8" })).stdout;

/** Runs apply-proposal.sh in `cwd`; never rejects. */
async function apply(cwd: string, dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e.invalid" };
  Object.assign(env, { GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e.invalid" });
  return promisify(execFile)("bash", [APPLY, dir], { cwd, env, encoding: "utf8" }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** The files git tracks, with their content: two trees compared by what a pull request shows. */
async function tree(root: string): Promise<Map<string, string>> {
  const files = (await git(root, "ls-files", "-z")).split("\0").filter((f) => f !== "");
  const out = new Map<string, string>();
  for (const f of files.sort()) out.set(f, await readFile(path.join(root, f), "utf8"));
  return out;
}

const LIST_FRAGMENT = FIXTURE.listSecrets.file;
const DELETED_OVERLAY = "10-servers.yaml";

describe("the docs-sync proposal", () => {
  let upstream: TempProject; // where the pull ran
  let base: string; // its commit before the pull
  let work: string; // temp folder for the proposal and the second clone

  beforeAll(async () => {
    upstream = await copyFixtureProject();
    await git(upstream.root, "init", "-q", "-b", "main");
    await git(upstream.root, "add", "-A");
    await git(upstream.root, "commit", "-qm", "base");
    base = (await git(upstream.root, "rev-parse", "HEAD")).trim();
  });
  afterAll(() => upstream.cleanup());

  beforeEach(async () => {
    await git(upstream.root, "reset", "-q", "--hard", base);
    await git(upstream.root, "clean", "-qfd");
    work = await mkdtemp(path.join(tmpdir(), "docs-sync-"));
    return () => rm(work, { recursive: true, force: true });
  });

  /** What a pull and generate might leave: a changed, an added and a deleted file in spec/ and generated/. */
  async function simulatePull(): Promise<void> {
    await edit(path.join(upstream.fragmentsDir, LIST_FRAGMENT), (t) =>
      t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"),
    );
    await edit(upstream.bundleFile, (t) => t.replace("optional nach Typ gefiltert", "wahlweise nach Typ gefiltert"));
    await writeFile(path.join(upstream.fragmentsDir, "part.yaml"), "Neu:\n  type: string\n");
    await unlink(path.join(upstream.overlaysDir, DELETED_OVERLAY));
  }

  it("is nothing when spec/ and generated/ did not change", async () => {
    await writeFile(path.join(upstream.root, "unrelated.txt"), "not part of the proposal\n");
    expect(await makeProposal(upstream)).toEqual({ changed: false });
  });

  it("carries additions, changes and deletions, and applies to a clean clone as the same tree", async () => {
    await simulatePull();
    const proposal = await makeProposal(upstream);
    if (!proposal.changed) throw new Error("expected a proposal");
    expect(proposal.title).toBe("docs sync: PATCH, 1 documentation change");
    expect(proposal.body).toMatch(/^## API changes/m);
    expect(proposal.files).toContain(`spec/overlays/${DELETED_OVERLAY}`); // the deletion
    expect(proposal.files).toContain("spec/fragments/part.yaml");
    await git(upstream.root, "commit", "-qm", "pulled");

    const clone = path.join(work, "clone");
    await git(work, "clone", "-q", upstream.root, clone);
    await git(clone, "checkout", "-q", base);
    await writeFile(path.join(work, "sync.patch"), proposal.patch);
    await writeFile(path.join(work, "title.txt"), `${proposal.title}\n`);
    const result = await apply(clone, work);
    expect(result).toMatchObject({ code: 0, stdout: `${proposal.title}\n` });
    expect(await tree(clone)).toEqual(await tree(upstream.root));
    expect((await git(clone, "log", "-1", "--format=%s")).trim()).toBe(proposal.title);
  });

  it("says FAILED in the title, with generate's error in the body, when generate failed", async () => {
    await writeFile(path.join(upstream.fragmentsDir, "part.yaml"), "Neu:\n  type: string\n");
    const stderr =
      "npm warn Unknown user config\nerror: spec/overlays/30-x.yaml:6:13\n  stale overlay: action 1: target matches nothing\n  Fix the target.\n";
    const proposal = await makeProposal(upstream, { generateError: stderr });
    if (!proposal.changed) throw new Error("expected a proposal");
    expect(proposal.title).toBe("docs sync: FAILED, npm run generate: spec/overlays/30-x.yaml:6:13");
    expect(proposal.body).toContain("stale overlay: action 1: target matches nothing");
    expect(proposal.body).toContain("- `spec/fragments/part.yaml`");
  });

  describe("apply-proposal.sh refuses, committing nothing", () => {
    /** A proposal made by hand: what a compromised pull job could hand over. */
    async function handMade(
      change: (root: string) => Promise<void>,
      title = "docs sync: PATCH, 1 documentation change",
    ) {
      await change(upstream.root);
      await git(upstream.root, "add", "-A");
      const patch = await promisify(execFile)("git", ["diff", "--cached", "--binary"], {
        cwd: upstream.root,
        encoding: "buffer",
      });
      await writeFile(path.join(work, "sync.patch"), patch.stdout);
      await writeFile(path.join(work, "title.txt"), `${title}\n`);
      await git(upstream.root, "reset", "-q", "--hard", base);
      const clone = path.join(work, "clone");
      await git(work, "clone", "-q", upstream.root, clone);
      const result = await apply(clone, work);
      expect(result.code).toBe(1);
      expect((await git(clone, "rev-parse", "HEAD")).trim()).toBe(base);
      expect(await git(clone, "status", "--porcelain")).toBe("");
      return result.stderr;
    }

    it.each([
      [
        "a path outside spec/ and generated/",
        async (root: string) => {
          await writeFile(path.join(root, "package.json"), '{"scripts":{"test":"curl evil"}}\n');
          await edit(path.join(root, "spec", "fragments", LIST_FRAGMENT), (t) => `${t}\n`);
        },
        "touches paths outside spec/ and generated/: package.json",
      ],
      [
        "a workflow file",
        async (root: string) => {
          await mkdir(path.join(root, ".github", "workflows"), { recursive: true });
          await writeFile(path.join(root, ".github", "workflows", "x.yml"), "on: push\n");
        },
        "outside spec/ and generated/: .github/workflows/x.yml",
      ],
      [
        "a symbolic link in spec/",
        async (root: string) => {
          await symlink("/etc/passwd", path.join(root, "spec", "fragments", "link.yaml"));
        },
        "adds a symbolic link or a submodule",
      ],
    ])("%s", async (_name, change, message) => {
      expect(await handMade(change)).toContain(message);
    });

    it("a title that is not a docs-sync title", async () => {
      const stderr = await handMade(
        (root) => edit(path.join(root, "spec", "fragments", LIST_FRAGMENT), (t) => `${t}\n`),
        "Release 9.9.9",
      );
      expect(stderr).toContain("title.txt does not start with 'docs sync: '");
    });
  });
});

describe("title and body limits", () => {
  it("makes a title one line of at most 200 characters, without control characters", () => {
    expect(oneLine("docs sync: FAILED\n\u001b[31mred\u0007")).toBe("docs sync: FAILED [31mred");
    expect(oneLine(`docs sync: ${"x".repeat(300)}`)).toHaveLength(200);
  });

  it("cuts a body over GitHub's limit, saying so", () => {
    const body = limitBody("y".repeat(MAX_BODY_CHARS + 10));
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("The report is cut here");
    expect(limitBody("short")).toBe("short");
  });
});
