import { Injectable, type PipeTransform } from '@nestjs/common';
import { Ajv, type ErrorObject } from 'ajv';
import { InvalidRequestError } from '@app/core';
import type { ToolArguments } from '../tool.types.js';

/** The body of `POST /tools/call` once checked. `arguments` is the parsed JSON object itself. */
export interface CallRequest {
  name: string;
  arguments: ToolArguments;
}

/**
 * The envelope of `POST /tools/call`: what {@link parseCallRequest} checks and, as it is,
 * the request body OpenAPI documents (one description of the body, not two).
 */
export const CALL_REQUEST_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    arguments: {
      type: 'object',
      additionalProperties: true,
      description:
        "The tool's arguments, checked against its inputSchema. `operation` defaults to `execute`.",
    },
  },
  required: ['name'],
  additionalProperties: false,
};

// One error is enough to answer, and the first one found is the cheapest. The examples of the
// OpenAPI document are each server's own tools, added to it by the document's builder.
const validateCallRequest = new Ajv({ allErrors: false, strict: true }).compile(
  CALL_REQUEST_SCHEMA,
);

/**
 * Checks the envelope of a tool call without copying it. The global
 * ValidationPipe would turn the body into a class instance, and class-transformer
 * deep-copies `arguments` on the way: seconds of blocked event loop for a million
 * numbers, for data the tool's own compiled schema checks right after anyway.
 * Only `name` and the shape of `arguments` are checked here (see {@link parseCallRequest}).
 */
@Injectable()
export class CallRequestPipe implements PipeTransform<unknown, CallRequest> {
  transform(body: unknown): CallRequest {
    return parseCallRequest(body);
  }
}

/** The checked envelope of a `POST /tools/call` body, or a 400 naming the field. */
export function parseCallRequest(body: unknown): CallRequest {
  if (!validateCallRequest(body)) {
    const problem = describe(validateCallRequest.errors?.[0]);
    throw new InvalidRequestError(problem.message, [problem]);
  }
  const request = body as { name: string; arguments?: ToolArguments };
  return { name: request.name, arguments: request.arguments ?? {} };
}

function describe(e: ErrorObject | undefined): { field: string; message: string } {
  const field = e?.instancePath.slice(1) ?? '';
  const params = (e?.params ?? {}) as Record<string, unknown>;
  switch (e?.keyword) {
    case 'required':
      return { field: 'name', message: 'name must be a string naming the tool' };
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      return { field: extra, message: `property ${extra} should not exist` };
    }
    case 'type':
      return field === ''
        ? { field: '', message: 'The request body must be a JSON object' }
        : field === 'arguments'
          ? { field, message: 'arguments must be a JSON object' }
          : { field, message: `${field} must be a string` };
    case 'minLength':
      return { field, message: `${field} should not be empty` };
    case 'maxLength':
      return { field, message: `${field} must be shorter than or equal to 128 characters` };
    default:
      return { field, message: `${field || 'The request body'} ${e?.message ?? 'is invalid'}` };
  }
}
