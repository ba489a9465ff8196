import { BodyTooComplexError, InvalidRequestError, type PlatformError } from '@app/core';

export interface JsonBounds {
  maxDepth: number;
  maxArrayLength: number;
}

/** Keys that could reach an object's prototype if some code ever merged the body into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A string PostgreSQL cannot store (U+0000, or an unpaired surrogate that becomes an
 * invalid `\ud800` escape in jsonb) is refused here, as a 400, rather than failing deep
 * inside a write as a 500.
 */
function unstorable(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Finds the first way `value` breaks the bounds, or undefined. Iterative, so a
 * body nested a hundred thousand levels deep cannot overflow the stack here.
 */
export function checkJsonBounds(value: unknown, bounds: JsonBounds): PlatformError | undefined {
  const stack: Frame[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value: v, depth } = frame;
    if (typeof v === 'string' && unstorable(v)) {
      const field = pathOf(frame);
      return new InvalidRequestError(`${field} contains U+0000 or an unpaired surrogate`, {
        field,
      });
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= bounds.maxDepth) {
      return new BodyTooComplexError(
        `The JSON body is nested deeper than ${bounds.maxDepth} levels`,
        {
          path: pathOf(frame),
          maxDepth: bounds.maxDepth,
        },
      );
    }
    if (Array.isArray(v)) {
      if (v.length > bounds.maxArrayLength) {
        const path = pathOf(frame);
        return new BodyTooComplexError(
          `${path} has ${v.length} items; at most ${bounds.maxArrayLength} are accepted`,
          { path, maxArrayLength: bounds.maxArrayLength },
        );
      }
      // Numbers, booleans and null cannot break a bound: skipping them keeps a million numbers cheap.
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (typeof item === 'string' || (item !== null && typeof item === 'object'))
          stack.push({ value: item, depth: depth + 1, parent: frame, key: i });
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key) || unstorable(key)) {
        const field = pathOf(frame);
        return new InvalidRequestError(
          FORBIDDEN_KEYS.has(key)
            ? `${field} has the key '${key}', which is not accepted`
            : `${field} has a key with U+0000 or an unpaired surrogate`,
          { field },
        );
      }
      stack.push({
        value: (v as Record<string, unknown>)[key],
        depth: depth + 1,
        parent: frame,
        key,
      });
    }
  }
  return undefined;
}

/** One value still to check; the path is rebuilt from parents only when reporting a problem. */
interface Frame {
  value: unknown;
  depth: number;
  parent?: Frame;
  key?: string | number;
}

function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) {
    parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  }
  return `$${parts.reverse().join('')}`;
}
