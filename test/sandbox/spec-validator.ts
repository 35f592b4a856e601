/**
 * Validates response bodies against generated/devin-api.yaml with Ajv (JSON Schema 2020-12,
 * the dialect of OpenAPI 3.1), so sandbox tests fail as soon as the sandbox drifts from
 * the spec. The whole document is registered under one $id, so every schema is compiled
 * by JSON pointer into it and its internal "#/components/..." refs resolve unchanged.
 */
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

const SPEC_PATH = new URL("../../generated/devin-api.yaml", import.meta.url);
const SPEC_ID = "https://sandbox.invalid/devin-api.yaml";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// OpenAPI keywords that are not JSON Schema; declaring them keeps Ajv's strict mode on
// for everything else (a typo in a real keyword should still fail).
const OPENAPI_KEYWORDS = [
  "openapi",
  "info",
  "servers",
  "security",
  "paths",
  "components",
  "tags",
  "example",
  "discriminator",
  "xml",
  "externalDocs",
];

type Json = Record<string, unknown>;

export interface ResponseValidation {
  /** Ajv's errors, empty when the body matches. */
  errors: ErrorObject[];
  /** The JSON pointer of the schema used, for messages. */
  schemaPointer: string;
}

export class SpecValidator {
  readonly document: Json;
  readonly #ajv: Ajv2020;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(specText: string = readFileSync(SPEC_PATH, "utf8")) {
    this.document = parse(specText) as Json;
    this.#ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(this.#ajv);
    this.#ajv.addVocabulary(OPENAPI_KEYWORDS);
    this.#ajv.addSchema(this.document, SPEC_ID);
  }

  /** Status codes the operation declares, as written in the spec ("200", "401", ...). */
  declaredStatuses(method: string, pathTemplate: string): string[] {
    return Object.keys(this.#operation(method, pathTemplate).responses as Json);
  }

  /** Content types the operation declares for a status, or undefined if the status is not declared. */
  declaredContentTypes(method: string, pathTemplate: string, status: number): string[] | undefined {
    const response = this.#response(method, pathTemplate, status);
    return response === undefined ? undefined : Object.keys((response.value.content as Json | undefined) ?? {});
  }

  /**
   * Validates a body against the schema the operation declares for this status and
   * content type. Throws when either is not declared: the caller decides whether an
   * undeclared response is acceptable, never this function.
   */
  validateResponse(
    method: string,
    pathTemplate: string,
    status: number,
    contentType: string,
    body: unknown,
  ): ResponseValidation {
    const response = this.#response(method, pathTemplate, status);
    if (response === undefined) throw new Error(`${method} ${pathTemplate} declares no ${status} response`);
    const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const content = (response.value.content as Json | undefined) ?? {};
    if (!(mediaType in content)) {
      throw new Error(
        `${method} ${pathTemplate} ${status} declares ${Object.keys(content).join(", ") || "no content"}, not ${mediaType}`,
      );
    }
    return this.#validate(`${response.pointer}/content/${escapePointer(mediaType)}/schema`, body);
  }

  /** Validates against components/schemas/<name>. */
  validateComponent(name: string, body: unknown): ResponseValidation {
    return this.#validate(`/components/schemas/${escapePointer(name)}`, body);
  }

  /** Compiles an extra schema that may $ref the spec's components via `ref(name)`. */
  compile(schema: Json): ValidateFunction {
    return this.#ajv.compile(schema);
  }

  /** A $ref to components/schemas/<name>, for use in compile(). */
  ref(name: string): string {
    return `${SPEC_ID}#/components/schemas/${escapePointer(name)}`;
  }

  #validate(pointer: string, body: unknown): ResponseValidation {
    let validate = this.#cache.get(pointer);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: `${SPEC_ID}#${pointerToFragment(pointer)}` });
      this.#cache.set(pointer, validate);
    }
    validate(body);
    return { errors: validate.errors ?? [], schemaPointer: pointer };
  }

  #operation(method: string, pathTemplate: string): Json {
    const pathItem = (this.document.paths as Json)[pathTemplate] as Json | undefined;
    const operation = pathItem?.[method.toLowerCase()] as Json | undefined;
    if (operation === undefined) throw new Error(`spec declares no operation ${method} ${pathTemplate}`);
    return operation;
  }

  /** The response object and its JSON pointer, following a $ref into components/responses. */
  #response(method: string, pathTemplate: string, status: number): { value: Json; pointer: string } | undefined {
    const responses = this.#operation(method, pathTemplate).responses as Json;
    const key =
      String(status) in responses
        ? String(status)
        : `${String(status)[0]}XX` in responses
          ? `${String(status)[0]}XX`
          : "default";
    const value = responses[key] as Json | undefined;
    if (value === undefined) return undefined;
    const ref = value.$ref;
    if (typeof ref === "string") {
      if (!ref.startsWith("#/")) throw new Error(`external response $ref not supported: ${ref}`);
      const pointer = ref.slice(1);
      return { value: resolvePointer(this.document, pointer) as Json, pointer };
    }
    const pointer = `/paths/${escapePointer(pathTemplate)}/${method.toLowerCase()}/responses/${escapePointer(key)}`;
    return { value, pointer };
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** JSON pointer -> URI fragment: Ajv percent-decodes fragments, so "{", "}" and "+" must be encoded. */
function pointerToFragment(pointer: string): string {
  return pointer
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function resolvePointer(document: Json, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as Json | undefined)?.[segment];
  }
  if (node === undefined) throw new Error(`spec has nothing at ${pointer}`);
  return node;
}
