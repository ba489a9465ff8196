import type { JsonSchema, ToolParameter } from '../tool.types.js';
import { PARAMETER_TYPES, type ParameterType } from '../tool.types.js';

/** Every tool accepts `operation`; tools that define no operations of their own only know `execute`. */
export const DEFAULT_OPERATION_SCHEMA = {
  type: 'string',
  enum: ['execute'],
  default: 'execute',
  description: 'What to do; this tool only knows `execute` (the default).',
} as const;

/** Turns the REST API's parameter list into the tool's JSON Schema, once, at registration. */
export function parametersToSchema(parameters: ToolParameter[]): JsonSchema {
  const properties: Record<string, unknown> = { operation: DEFAULT_OPERATION_SCHEMA };
  for (const p of parameters) {
    properties[p.name] = { type: p.type, description: p.description };
  }
  const required = parameters.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** Derives the REST API's parameter list from a JSON Schema (for built-in tools). */
export function schemaToParameters(schema: JsonSchema): ToolParameter[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, prop]) => ({
    name,
    type: parameterType(prop),
    description: typeof prop.description === 'string' ? prop.description : '',
    required: required.has(name),
  }));
}

function parameterType(prop: Record<string, unknown>): ParameterType {
  const t = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  if (PARAMETER_TYPES.includes(t as ParameterType)) return t as ParameterType;
  if (prop.enum || prop.const) return 'string';
  return 'object';
}

/** Adds the platform's `operation` property to a built-in schema that does not define one. */
export function withOperation(schema: JsonSchema): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  if ('operation' in properties) return schema;
  return { ...schema, properties: { operation: DEFAULT_OPERATION_SCHEMA, ...properties } };
}
