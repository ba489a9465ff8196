import { isJsonObject } from '@app/core';
import type { JsonSchema } from '../tool.types.js';

/** Schema Object keywords of OpenAPI 3.0 that JSON Schema 2020-12 does not know or means otherwise. */
const OPENAPI_ONLY = new Set(['nullable', 'discriminator', 'xml', 'externalDocs', 'example']);

/**
 * A dereferenced Schema Object as a JSON Schema (2020-12) the argument validator compiles:
 * a fresh tree (the parser shares one object between every place that referred to it), and
 * for OpenAPI 3.0 its differences from JSON Schema turned into their JSON Schema form:
 * `nullable: true` adds `null` to the type, boolean `exclusiveMinimum`/`exclusiveMaximum`
 * become the numeric bounds, and OpenAPI-only keywords are dropped. 3.1 schemas are JSON
 * Schema already and are only copied, but for a `nullable` left over from 3.0 (ReadMe's
 * document has hundreds): JSON Schema ignores it, and the Ajv of MCP clients (the SDK v1's)
 * refuses it without a `type`, failing the whole tools/list, so it is dropped.
 */
export function toJsonSchema(schema: unknown, openapi30: boolean): JsonSchema {
  const converted = convert(schema, openapi30, { left: MAX_SCHEMA_NODES });
  return isJsonObject(converted) ? (converted as JsonSchema) : {};
}

/**
 * Most schema objects one converted schema may hold. Dereferencing shares a component
 * between the places that use it; copying expands it, and a document whose components each
 * refer to the next one several times would expand exponentially.
 */
export const MAX_SCHEMA_NODES = 50_000;

/** A schema that would expand past {@link MAX_SCHEMA_NODES} objects. */
export class SchemaTooLargeError extends Error {
  constructor() {
    super(
      `its schema expands to more than ${MAX_SCHEMA_NODES} objects once its $refs are resolved`,
    );
  }
}

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
]);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_VALUES = new Set([
  'items',
  'prefixItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

function convert(node: unknown, openapi30: boolean, budget: { left: number }): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, openapi30, budget));
  if (node === null || typeof node !== 'object') return node;
  if (--budget.left < 0) throw new SchemaTooLargeError();
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const openapiOnly = openapi30
      ? OPENAPI_ONLY.has(key) || key.startsWith('x-')
      : key === 'nullable' && typeof value === 'boolean';
    if (openapiOnly) continue;
    if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          convert(v, openapi30, budget),
        ]),
      );
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = convert(value, openapi30, budget);
    } else {
      // enum, const, default, examples...: values, not schemas; copied as they are.
      out[key] = value !== null && typeof value === 'object' ? structuredClone(value) : value;
    }
  }
  if (!openapi30) return out;
  if (source.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  return out;
}

/** True when the schema describes a JSON object (what MCP asks of an output schema). */
export function isObjectSchema(schema: JsonSchema): boolean {
  return (
    schema.type === 'object' || (schema.type === undefined && typeof schema.properties === 'object')
  );
}
