import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InvalidArgumentsError } from '@app/core';
import type { JsonSchema, ToolArguments } from '../tool.types.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({
  allErrors: true,
  useDefaults: true,
  coerceTypes: false,
  strict: false,
  validateSchema: true,
});
addFormats(ajv);

/** A compiled validator for one version of one tool's input schema. */
export type ArgumentValidator = (args: ToolArguments) => void;

/** Compiles a tool's JSON Schema once; the returned function throws {@link InvalidArgumentsError} naming the field. */
export function compileArgumentValidator(schema: JsonSchema): ArgumentValidator {
  const validate: ValidateFunction = ajv.compile(schema);
  // Ajv keeps every schema object it compiled; the function lives on without the entry, and
  // dropping it keeps a long-running server from holding one per tool version ever seen.
  ajv.removeSchema(schema);
  return (args) => {
    if (!validate(args)) {
      const problems = (validate.errors ?? []).slice(0, 20).map(describe);
      throw new InvalidArgumentsError(problems.map((p) => p.message).join('; '), problems);
    }
  };
}

/**
 * A validator compiled on its first use: a server with 10,000 tools starts without
 * compiling 10,000 schemas, and pays for each tool's once, when it is first called.
 */
export function lazyArgumentValidator(schema: JsonSchema): ArgumentValidator {
  let compiled: ArgumentValidator | undefined;
  return (args) => (compiled ??= compileArgumentValidator(schema))(args);
}

/** Checks that a schema is itself a valid JSON Schema; returns the first problem or undefined. */
export function schemaProblem(schema: JsonSchema): string | undefined {
  return ajv.validateSchema(schema) ? undefined : ajv.errorsText(ajv.errors);
}

interface Problem {
  field: string;
  message: string;
}

function describe(e: ErrorObject): Problem {
  const base = ['arguments', ...e.instancePath.split('/').filter(Boolean).map(decode)].join('.');
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const field = `${base}.${String(params.missingProperty)}`;
      return { field, message: `${field} is required` };
    }
    case 'additionalProperties': {
      const field = `${base}.${String(params.additionalProperty)}`;
      return { field, message: `${field} is not a known parameter` };
    }
    case 'enum':
      return {
        field: base,
        message: `${base} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { field: base, message: `${base} ${e.message ?? 'is invalid'}` };
  }
}

function decode(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
