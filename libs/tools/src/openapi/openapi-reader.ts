import { dereference, MissingPointerError, validate } from '@readme/openapi-parser';
import { parse as parseYaml } from 'yaml';
import type { OpenApiRefusal } from '@app/core';
import type { OpenApiDocument } from './openapi.types.js';

// This module runs in the reader's worker thread (openapi-reader.worker.ts): it imports
// nothing of the platform at run time (its only imports of @app/core are types), so that a
// worker loads the parser and the YAML reader, not the whole server.

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The most the parser may spend dereferencing one document. */
const DEREFERENCE_TIMEOUT_MS = 20_000;

/** What a loaded document is: resolved and validated, its version and operation count known. */
export interface LoadedDocument {
  document: OpenApiDocument;
  /** 3.0 schemas differ from JSON Schema (`nullable`...); 3.1 schemas are JSON Schema. */
  openapi30: boolean;
  operations: number;
}

/**
 * Why a document is refused, as plain data: it crosses the worker's boundary, where an
 * error's class is lost, and becomes an `OpenApiDocumentError` on the other side.
 */
export class DocumentRefusal extends Error {
  constructor(
    readonly reason: OpenApiRefusal,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Text of a document read from a URL: JSON, else YAML (the two forms OpenAPI documents take). */
export function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DocumentRefusal('not-openapi', 'The document is not valid JSON');
    }
  }
  try {
    // The yaml package bounds alias expansion (maxAliasCount), so a "billion laughs" fails here.
    return parseYaml(text) as unknown;
  } catch (err) {
    throw new DocumentRefusal(
      'not-openapi',
      `The document is neither JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/**
 * Checks that `raw` is an OpenAPI 3.0 or 3.1 document within `maxOperations`, then has the
 * parser (@readme/openapi-parser) resolve every `$ref` and validate it against the
 * specification. Each refusal is a {@link DocumentRefusal} naming its reason:
 * not OpenAPI, too many operations, an unresolvable, external or circular `$ref`, invalid.
 */
export async function readDocument(raw: unknown, maxOperations: number): Promise<LoadedDocument> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DocumentRefusal('not-openapi', 'The document is not a JSON or YAML object');
  }
  const head = raw as Record<string, unknown>;
  const version = head.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+/.test(version)) {
    const swagger = typeof head.swagger === 'string';
    throw new DocumentRefusal(
      'not-openapi',
      swagger
        ? `Swagger ${String(head.swagger)} is not supported: convert the document to OpenAPI 3.0 or 3.1`
        : 'The document is not OpenAPI 3.0 or 3.1: it has no "openapi": "3.0.x" or "3.1.x" field',
      swagger ? { swagger: head.swagger } : undefined,
    );
  }
  // Counted before the expensive steps, so an oversized document costs no validation.
  const operations = countOperations(head.paths);
  if (operations > maxOperations) throw tooMany(operations, maxOperations);

  let document: OpenApiDocument;
  try {
    document = (await dereference(structuredClone(raw) as never, {
      resolve: { external: false },
      dereference: { circular: false },
      timeoutMs: DEREFERENCE_TIMEOUT_MS,
    })) as unknown as OpenApiDocument;
  } catch (err) {
    throw refusalOf(err);
  }
  const external = firstRef(document);
  if (external !== undefined) {
    throw new DocumentRefusal(
      'unresolvable-ref',
      `The document refers outside itself ($ref "${external}"): only references within the document are followed`,
      { ref: external },
    );
  }
  let result: Awaited<ReturnType<typeof validate>>;
  try {
    result = await validate(structuredClone(raw) as never, { resolve: { external: false } });
  } catch (err) {
    throw refusalOf(err);
  }
  if (!result.valid) {
    const problems = result.errors.slice(0, 5).map((e) => e.message.split('\n')[0]);
    throw new DocumentRefusal(
      'invalid',
      `The document is not a valid OpenAPI ${version} document: ${problems.join('; ')}`,
      { problems },
    );
  }
  return { document, openapi30: version.startsWith('3.0'), operations };
}

function tooMany(operations: number, maxOperations: number): DocumentRefusal {
  return new DocumentRefusal(
    'too-many-operations',
    `The document has ${operations} operations; this server imports at most ${maxOperations} (OPENAPI_MAX_OPERATIONS)`,
    { operations, maxOperations },
  );
}

/** The parser's failures as refusals; its messages name the pointer, never a file of this server. */
function refusalOf(err: unknown): DocumentRefusal {
  const message = (err as Error)?.message ?? String(err);
  if (
    err instanceof MissingPointerError ||
    /Missing \$ref pointer|Error resolving \$ref/.test(message)
  ) {
    return new DocumentRefusal('unresolvable-ref', `Unresolvable $ref: ${withoutPath(message)}`);
  }
  if (/circular/i.test(message)) {
    return new DocumentRefusal(
      'circular-ref',
      `The document has a circular $ref, which a tool's JSON Schema cannot hold: ${withoutPath(message)}`,
    );
  }
  if (/timeout|timed out/i.test(message)) return tookTooLong();
  return new DocumentRefusal('invalid', `The document could not be read: ${withoutPath(message)}`);
}

/** The refusal of a document whose resolution ran out of time, in the parser or in the worker. */
export function tookTooLong(): DocumentRefusal {
  return new DocumentRefusal('invalid', 'Resolving the document took too long');
}

/** The parser resolves pointers against the process's directory: only the `#/...` part is shown. */
function withoutPath(message: string): string {
  return message.replace(/(^|\s)\S*#\//g, '$1#/');
}

function countOperations(paths: unknown): number {
  if (paths === null || typeof paths !== 'object') return 0;
  let count = 0;
  for (const item of Object.values(paths as Record<string, unknown>)) {
    if (item === null || typeof item !== 'object') continue;
    for (const method of HTTP_METHODS) if (method in item) count++;
  }
  return count;
}

/** The first `$ref` left after dereferencing (one the parser did not follow), if any. */
function firstRef(root: unknown): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === 'string') return ref;
    stack.push(...Object.values(node));
  }
  return undefined;
}
