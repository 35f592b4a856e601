/**
 * What the docs-sync pull request says: its title and body, from `makeProposal` on a real git
 * repository (the failure body is built inside it and not exported), plus the title and body
 * limits. docs-sync.test.ts covers the patch and apply-proposal.sh; this file covers the text.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitBody, MAX_BODY_CHARS, MAX_ERROR_CHARS, makeProposal, oneLine } from "../../scripts/sync/proposal.ts";
import { copyFixtureProject, edit, FIXTURE, type TempProject } from "./helpers.ts";

const CUT_MARKER = "\n… (cut)";

const IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgSign=false"];
const git = (cwd: string, ...args: string[]) => promisify(execFile)("git", [...IDENTITY, ...args], { cwd });

/**
 * The contents of the backtick-fenced code blocks of a Markdown text, as CommonMark reads them:
 * a block opens with a line of 3 or more backticks (an info string without backticks may follow)
 * and closes at the first line of at least as many backticks and nothing else.
 */
function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let open: { fence: number; lines: string[] } | undefined;
  for (const line of markdown.split("\n")) {
    if (open === undefined) {
      const opening = /^ {0,3}(`{3,})[^`]*$/.exec(line);
      if (opening?.[1] !== undefined) open = { fence: opening[1].length, lines: [] };
    } else if ((/^ {0,3}(`+)\s*$/.exec(line)?.[1]?.length ?? 0) >= open.fence) {
      blocks.push(open.lines.join("\n"));
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  if (open !== undefined) blocks.push(`UNCLOSED:${open.lines.join("\n")}`);
  return blocks;
}

/** The first line of the body that consists of backticks only: the fence around generate's error. */
const fenceOf = (body: string) => body.split("\n").find((l) => /^`+$/.test(l));

describe("the docs-sync pull request's text", () => {
  let project: TempProject;
  const PULLED = [`spec/fragments/${FIXTURE.listSecrets.file}`, "spec/fragments/part.yaml"];
  /** The pulled files as the body lists them: one Markdown list item a line. */
  const PULLED_LIST = PULLED.map((f) => `- \`${f}\``).join("\n");

  /** A pull that changed spec/ (an edited and an added fragment) and left the API as it was. */
  beforeAll(async () => {
    project = await copyFixtureProject();
    await git(project.root, "init", "-q", "-b", "main");
    await git(project.root, "add", "-A");
    await git(project.root, "commit", "-qm", "base");
    await edit(path.join(project.fragmentsDir, FIXTURE.listSecrets.file), (t) => `${t}# a comment the bundle drops\n`);
    await writeFile(path.join(project.fragmentsDir, "part.yaml"), "# nothing refers to this yet\n");
  });
  afterAll(() => project.cleanup());

  async function failed(generateError: string): Promise<{ title: string; body: string }> {
    const proposal = await makeProposal(project, { generateError });
    if (!proposal.changed) throw new Error("expected a proposal");
    return { title: proposal.title, body: proposal.body };
  }

  it("says NONE in the title when spec/ changed and the API did not, and lists the files", async () => {
    const proposal = await makeProposal(project);
    if (!proposal.changed) throw new Error("expected a proposal");
    expect(proposal.files).toEqual(PULLED);
    expect(proposal.title).toBe("docs sync: NONE (spec/ changed, the API did not)");
    expect(proposal.body).toContain(`\n\n${PULLED_LIST}\n`);
  });

  describe("when generate failed", () => {
    it("quotes the error in one code block, tells what to do, and lists the pulled files", async () => {
      const stderr = "error: spec/overlays/30-x.yaml:6:13\n  stale overlay: action 1: target matches nothing\n\n";
      const { body } = await failed(stderr);
      expect(body).toMatch(/^## .*`npm run generate` failed/m);
      expect(codeBlocks(body)).toEqual([stderr.trimEnd()]);
      // What happened, what it means for the pull request, and what to do about it.
      expect(body).toContain("the pipeline cannot build them");
      expect(body).toContain("generated/ is stale");
      expect(body).toContain("reproduce it locally (`npm run spec:pull && npm run generate`)");
      expect(body).toContain("fix the cause on the main branch");
      expect(body).toContain("edit spec/sources.yaml");
      expect(body.slice(body.indexOf("Files pulled:"))).toBe(`Files pulled:\n\n${PULLED_LIST}\n`);
    });

    it.each([
      ["no backticks", "error: spec/fragments/x.yaml: bad", 3],
      ["single backticks", "error: `paths` must be a map, see ``code``", 3],
      ["a run of 3", "error: the page holds ```yaml\nfoo: 1\n```", 4],
      ["a run of 5", "error: the page holds `````\nfoo: 1\n`````", 6],
    ])("fences an error with %s so that it stays one code block", async (_name, stderr, fence) => {
      const { body } = await failed(stderr);
      expect(fenceOf(body)).toBe("`".repeat(fence));
      expect(codeBlocks(body)).toEqual([stderr]);
    });

    it("cuts an error longer than the cap, saying so", async () => {
      const stderr = `error: spec/fragments/x.yaml: bad\n${"x".repeat(MAX_ERROR_CHARS)}TAIL`;
      const { body } = await failed(stderr);
      expect(codeBlocks(body)).toEqual([`${stderr.slice(0, MAX_ERROR_CHARS)}${CUT_MARKER}`]);
      expect(body).not.toContain("TAIL");
    });

    it.each([
      ["exactly at the cap", MAX_ERROR_CHARS],
      ["well under the cap", 100],
    ])("quotes an error %s whole", async (_name, length) => {
      const stderr = `error: x\n${"y".repeat(length - "error: x\n".length)}`;
      expect(stderr).toHaveLength(length);
      const { body } = await failed(stderr);
      expect(codeBlocks(body)).toEqual([stderr]);
    });

    it.each([
      [
        "the first `error:` line, after npm's banner and warnings",
        "\n> devin@0.1.0 generate\n> tsx scripts/generate.ts\n\nnpm warn Unknown user config\nwarning: x\nerror: spec/fragments/x.yaml: bad\nerror: second\n",
        "spec/fragments/x.yaml: bad",
      ],
      [
        "an indented `error:` line, without the extra spaces after the colon",
        "  error:   spec/fragments/x.yaml: bad\r\n",
        "spec/fragments/x.yaml: bad",
      ],
      [
        "the first line that is not npm's, when no line starts with `error:`",
        "\n> devin@0.1.0 generate\n> tsx scripts/generate.ts\n\nnpm warn Unknown user config\n   \nTypeError: Cannot read properties of undefined\n    at x (file.ts:1:1)\nnpm error Lifecycle script `generate` failed\n",
        "TypeError: Cannot read properties of undefined",
      ],
      ["the body, when every line is npm's", "\n> devin@0.1.0 generate\n\nnpm error code 1\n", "see the body"],
    ])("names the reason in the title: %s", async (_name, stderr, reason) => {
      const { title } = await failed(stderr);
      expect(title).toBe(`docs sync: FAILED, npm run generate: ${reason}`);
    });
  });
});

describe("title and body limits, at the boundary", () => {
  it("keeps a title of exactly 200 characters, and cuts one of 201 to 199 and an ellipsis", () => {
    const title200 = `docs sync: ${"x".repeat(189)}`;
    expect(oneLine(title200)).toBe(title200);
    expect(oneLine(`${title200}y`)).toBe(`${title200.slice(0, 199)}…`);
  });

  it("keeps a body of exactly MAX_BODY_CHARS, and cuts a longer one there", () => {
    const atLimit = "y".repeat(MAX_BODY_CHARS);
    expect(limitBody(atLimit)).toBe(atLimit);
    const cut = limitBody(`${atLimit}TAIL`);
    expect(cut.startsWith(`${atLimit}\n\n… The report is cut here`)).toBe(true);
    expect(cut).not.toContain("TAIL");
  });
});
