import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toErrorBody } from '../errors/error-body.js';
import { BodyTooComplexError } from '../errors/tool-errors.js';

export interface JsonBounds {
  maxDepth: number;
  maxArrayLength: number;
}

/** Keys that could reach an object's prototype if some code ever merged the body into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Finds the first way `value` breaks the bounds, or undefined. Iterative, so a
 * body nested a hundred thousand levels deep cannot overflow the stack here.
 */
export function checkJsonBounds(
  value: unknown,
  bounds: JsonBounds,
): BodyTooComplexError | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '$' },
  ];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= bounds.maxDepth) {
      return new BodyTooComplexError(
        `The JSON body is nested deeper than ${bounds.maxDepth} levels`,
        {
          path,
          maxDepth: bounds.maxDepth,
        },
      );
    }
    if (Array.isArray(v)) {
      if (v.length > bounds.maxArrayLength) {
        return new BodyTooComplexError(
          `${path} has ${v.length} items; at most ${bounds.maxArrayLength} are accepted`,
          { path, maxArrayLength: bounds.maxArrayLength },
        );
      }
      for (let i = 0; i < v.length; i++)
        stack.push({ value: v[i], depth: depth + 1, path: `${path}[${i}]` });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) {
        return new BodyTooComplexError(`${path} has the key '${key}', which is not accepted`, {
          path,
          key,
        });
      }
      stack.push({
        value: (v as Record<string, unknown>)[key],
        depth: depth + 1,
        path: `${path}.${key}`,
      });
    }
  }
  return undefined;
}

/** Rejects parsed JSON bodies that are too deep, too wide or carry prototype-pollution keys (400). */
export function jsonBoundsMiddleware(bounds: JsonBounds): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const problem = checkJsonBounds(req.body, bounds);
    if (!problem) return next();
    const body = toErrorBody(problem, req.originalUrl);
    res.status(body.statusCode).json(body);
  };
}
