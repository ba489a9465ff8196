import { TOOL_NAME_PATTERN } from '../dto/tool.dto.js';
import { DEFAULT_OPERATION_SCHEMA, schemaToParameters } from '../executor/schema.js';
import { schemaProblem } from '../executor/argument-validator.js';
import { HEADER_NAME, isPlatformHeader } from '../executor/http-executor.js';
import type {
  HttpMethod,
  HttpParameterMapping,
  HttpRequestMapping,
  JsonSchema,
  ToolAnnotations,
  ToolParameter,
} from '../tool.types.js';
import { HTTP_METHODS } from './openapi-reader.js';
import { isObjectSchema, SchemaTooLargeError, toJsonSchema } from './openapi-schema.js';
import type {
  OpenApiDocument,
  OpenApiMedia,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiServer,
} from './openapi.types.js';

const MAX_DESCRIPTION = 4000;
const MAX_TITLE = 256;
/** Methods an HTTP tool can send with a meaning a model can use. */
const SUPPORTED: Record<string, HttpMethod> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
};
/** Header parameters OpenAPI says to ignore ("SHALL be ignored"), required or not. */
const SPEC_IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
/**
 * Header parameters an imported tool cannot send besides those the HTTP executor keeps to itself
 * ({@link isPlatformHeader}): those it sets on every call (its user agent, the request id and
 * trace context), and cookies, which it keeps from tools.
 */
const SET_ON_EVERY_CALL = new Set(['user-agent', 'x-request-id', 'traceparent', 'cookie']);
const QUERY_STYLES = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);
const PATH_STYLES = new Set(['simple', 'label', 'matrix']);

/** One operation of the document, as the import lists it. */
export interface OperationRef {
  /** The document's operationId, or one made from the method and path when it has none. */
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  summary?: string;
}

/** An operation as a tool definition, before it is compared with what is stored. */
export interface ImportedTool {
  name: string;
  operation: OperationRef;
  title: string | null;
  description: string;
  parameters: ToolParameter[];
  inputSchema: JsonSchema;
  outputSchema: JsonSchema | null;
  annotations: ToolAnnotations;
  method: HttpMethod;
  request: HttpRequestMapping;
  /** The server URL the document gives this operation (resolved against the source later). */
  server?: OpenApiServer;
}

/** Every operation of a dereferenced document, in document order. */
export function operationsOf(document: OpenApiDocument): Array<{
  ref: OperationRef;
  operation: OpenApiOperation;
  shared: OpenApiParameter[];
  servers?: OpenApiServer[];
}> {
  const list = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation || typeof operation !== 'object') continue;
      const operationId =
        typeof operation.operationId === 'string' && operation.operationId.length > 0
          ? operation.operationId
          : generatedId(method, path);
      list.push({
        ref: {
          operationId,
          method: method.toUpperCase(),
          path,
          tags: Array.isArray(operation.tags) ? operation.tags : [],
          ...(operation.summary ? { summary: operation.summary } : {}),
        },
        operation,
        shared: item.parameters ?? [],
        servers: operation.servers?.length ? operation.servers : item.servers,
      });
    }
  }
  return list;
}

/** `get /pet/{petId}` → `get_pet_petId`: an id for an operation that has none. */
function generatedId(method: string, path: string): string {
  const words = path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return words ? `${method}_${words}` : method;
}

/** The tool name of an operation: prefix plus operationId, other characters as `_`. */
export function toolNameOf(prefix: string, operationId: string): string {
  return `${prefix}${operationId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Turns one operation into a tool definition: its arguments are the path, query and header
 * parameters plus the JSON request body (its properties flattened where no name collides,
 * else under `body`); its output schema is the JSON 2xx response when that is an object.
 * Returns the reason instead when the operation cannot be a tool.
 */
export function toolOf(
  entry: ReturnType<typeof operationsOf>[number],
  prefix: string,
  openapi30: boolean,
): ImportedTool | { reason: string } {
  try {
    return definitionOf(entry, prefix, openapi30);
  } catch (err) {
    if (err instanceof SchemaTooLargeError) return { reason: err.message };
    throw err;
  }
}

function definitionOf(
  entry: ReturnType<typeof operationsOf>[number],
  prefix: string,
  openapi30: boolean,
): ImportedTool | { reason: string } {
  const { ref, operation } = entry;
  const method = SUPPORTED[ref.method.toLowerCase()];
  if (!method) return { reason: `${ref.method} operations are not supported` };
  const name = toolNameOf(prefix, ref.operationId);
  if (!TOOL_NAME_PATTERN.test(name)) {
    return { reason: `the tool name '${name.slice(0, 40)}...' is longer than 128 characters` };
  }

  const properties: Record<string, unknown> = { operation: DEFAULT_OPERATION_SCHEMA };
  const required: string[] = [];
  const parameters: HttpParameterMapping[] = [];
  for (const p of mergedParameters(entry.shared, operation.parameters ?? [])) {
    if (p.in === 'header' && SPEC_IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    const unsendable =
      p.in === 'cookie' ||
      (p.in === 'header' &&
        (!HEADER_NAME.test(p.name) ||
          isPlatformHeader(p.name) ||
          SET_ON_EVERY_CALL.has(p.name.toLowerCase())));
    if (unsendable) {
      if (p.required)
        return { reason: `its required ${p.in} parameter '${p.name}' cannot be sent` };
      continue;
    }
    if (p.name in properties) {
      return {
        reason: `its parameter '${p.name}' collides with another argument of the same name`,
      };
    }
    const schema = toJsonSchema(p.schema ?? firstMedia(p.content)?.schema ?? {}, openapi30);
    if (p.description && schema.description === undefined) schema.description = p.description;
    if (p.deprecated) schema.deprecated = true;
    properties[p.name] = schema;
    if (p.required || p.in === 'path') required.push(p.name);
    parameters.push(mappingOf(p));
  }

  const request: HttpRequestMapping = { path: ref.path, parameters };
  const body = operation.requestBody;
  if (body) {
    const media = jsonMedia(body.content);
    if (!media) {
      // A tool that could not send the body would call the operation without it.
      const types = Object.keys(body.content ?? {}).join(', ') || 'none';
      return { reason: `its request body is not JSON (${types})` };
    } else {
      const schema = toJsonSchema(media.schema ?? {}, openapi30);
      const props = schema.properties as Record<string, unknown> | undefined;
      const names = props ? Object.keys(props) : [];
      const flat =
        isObjectSchema(schema) &&
        names.length > 0 &&
        !names.some((n) => n in properties || n === 'body') &&
        schema.allOf === undefined &&
        schema.oneOf === undefined &&
        schema.anyOf === undefined;
      if (flat && props) {
        Object.assign(properties, props);
        if (body.required) required.push(...((schema.required as string[] | undefined) ?? []));
        request.body = { properties: names };
      } else {
        if ('body' in properties) {
          return { reason: "its parameter 'body' collides with the request body argument" };
        }
        if (body.description && schema.description === undefined) {
          schema.description = body.description;
        }
        properties.body = schema;
        if (body.required) required.push('body');
        request.body = { argument: 'body' };
      }
    }
  }

  const inputSchema: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required: [...new Set(required)] } : {}),
    additionalProperties: false,
  };
  const problem = schemaProblem(inputSchema);
  if (problem) return { reason: `its arguments are not a valid JSON Schema: ${problem}` };

  const summary = operation.summary?.trim();
  const details = operation.description?.trim();
  const text = [summary, details && details !== summary ? details : undefined]
    .filter(Boolean)
    .join('\n\n');
  return {
    name,
    operation: ref,
    title: summary ? clip(summary, MAX_TITLE) : null,
    description: clip(text || `${ref.method} ${ref.path}`, MAX_DESCRIPTION),
    parameters: schemaToParameters(inputSchema),
    inputSchema,
    outputSchema: outputSchemaOf(operation, openapi30),
    annotations: {
      readOnlyHint: method === 'GET',
      destructiveHint: method === 'DELETE',
      idempotentHint: method === 'GET' || method === 'PUT' || method === 'DELETE',
      openWorldHint: true,
    },
    method,
    request,
    server: entry.servers?.[0],
  };
}

/** Operation parameters override the path item's of the same name and location. */
function mergedParameters(shared: OpenApiParameter[], own: OpenApiParameter[]): OpenApiParameter[] {
  const key = (p: OpenApiParameter) => `${p.in}:${p.name}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
}

function mappingOf(p: OpenApiParameter): HttpParameterMapping {
  const location = p.in as HttpParameterMapping['in'];
  const styles = location === 'query' ? QUERY_STYLES : PATH_STYLES;
  const fallback = location === 'query' ? 'form' : 'simple';
  const style = (
    p.style && styles.has(p.style) ? p.style : fallback
  ) as HttpParameterMapping['style'];
  return {
    name: p.name,
    in: location,
    style,
    // OpenAPI: explode defaults to true for form style only.
    explode: p.explode ?? style === 'form',
    ...(p.allowReserved ? { allowReserved: true } : {}),
  };
}

function firstMedia(content: Record<string, OpenApiMedia> | undefined): OpenApiMedia | undefined {
  return content ? Object.values(content)[0] : undefined;
}

/** The JSON media type of a body or response: `application/json`, else any `...+json` or `.../json`. */
function jsonMedia(content: Record<string, OpenApiMedia> | undefined): OpenApiMedia | undefined {
  if (!content) return undefined;
  const types = Object.keys(content);
  const chosen =
    types.find((t) => t.split(';')[0].trim().toLowerCase() === 'application/json') ??
    types.find((t) => /[/+]json\s*(;|$)/i.test(t));
  return chosen === undefined ? undefined : content[chosen];
}

/** The schema of the first 2xx JSON response, when it describes an object (MCP's rule). */
function outputSchemaOf(operation: OpenApiOperation, openapi30: boolean): JsonSchema | null {
  const codes = Object.keys(operation.responses ?? {})
    .filter((c) => /^2(\d\d|XX)$/i.test(c))
    .sort();
  for (const code of codes) {
    const media = jsonMedia(operation.responses?.[code]?.content);
    if (!media?.schema) continue;
    let schema: JsonSchema;
    try {
      schema = toJsonSchema(media.schema, openapi30);
    } catch (err) {
      // The arguments matter for a call; an output schema this large is only left out.
      if (err instanceof SchemaTooLargeError) return null;
      throw err;
    }
    return isObjectSchema(schema) && schemaProblem(schema) === undefined ? schema : null;
  }
  return null;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
