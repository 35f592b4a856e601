import { createRequire } from "node:module";
import path from "node:path";
import type { CompilerOptions } from "typescript";
import { type ErrorLocation, PipelineError } from "../shared/pipeline-error.ts";

// Required, not imported: an ESM import makes Node scan the 9 MB CommonJS file for named
// exports (~0.5 s); see typegen.ts, which loads the same instance.
const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");

/**
 * The globals openapi-typescript output can use, copied from lib.es5.d.ts, plus the empty
 * interfaces every TypeScript program needs. Checking against this instead of lib.es2022
 * saves parsing and binding ~40 lib files: measured 800 ms -> 80 ms for our schema.ts and
 * 2.0 s -> 1.6 s for DigitalOcean's 1.5 MB one (bench/README.md). It is not a weaker check of
 * the generated file: it is still checked in full, with the project's strictness. If a
 * future openapi-typescript emits another lib type, the check fails loudly ("Cannot find
 * name") and the type belongs here.
 */
const MINIMAL_LIB = `
interface Array<T> { length: number; [n: number]: T }
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T }
interface Boolean {}
interface CallableFunction {}
interface Function {}
interface IArguments {}
interface NewableFunction {}
interface Number {}
interface Object {}
interface RegExp {}
interface String {}
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
`;
const MINIMAL_LIB_FILE = "__minimal-lib__.d.ts";

/**
 * Stage 10: type-checks the generated TypeScript (schema.ts, operations.ts) in memory with the
 * same strictness as the project, so a broken generator output fails generate instead of
 * reaching generated/. The files are one program: a relative import between them
 * (`import type { paths } from "./schema.ts"`) resolves among the virtual files.
 */
export function typecheckInMemory(files: ReadonlyMap<string, string>, displayDir: string): void {
  const options: CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    // As in tsconfig.json: imports name the .ts file, and type-only imports say so.
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    noLib: true,
    types: [],
    skipLibCheck: true,
  };
  const root = path.resolve("/__generated__");
  const virtual = new Map([...files].map(([name, text]) => [path.join(root, name), text]));
  virtual.set(path.join(root, MINIMAL_LIB_FILE), MINIMAL_LIB);
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(fileName));
    return text === undefined
      ? getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  // Module resolution asks whether the importing file's folder exists before it looks inside.
  const { directoryExists } = host;
  host.directoryExists = (d) => path.resolve(d) === root || (directoryExists?.call(host, d) ?? false);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length === 0) return;
  const locations: ErrorLocation[] = [];
  const messages: string[] = [];
  for (const d of diagnostics.slice(0, 20)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    messages.push(`TS${d.code}: ${message}`);
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      locations.push({
        file: `${displayDir}/${path.relative(root, d.file.fileName)}`,
        line: line + 1,
        column: character + 1,
      });
    }
  }
  throw new PipelineError(
    `generated TypeScript does not type-check:\n    ${messages.join("\n    ")}`,
    locations,
    "The generators wrote code that does not compile, which no spec should cause: report it with the spec that " +
      "triggers it (schema.ts comes from openapi-typescript, operations.ts from scripts/build/operation-index.ts).",
  );
}
