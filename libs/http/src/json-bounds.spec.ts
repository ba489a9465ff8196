import { checkJsonBounds } from './json-bounds.js';

const bounds = { maxDepth: 8, maxArrayLength: 5 };

describe('checkJsonBounds', () => {
  it('accepts ordinary bodies', () => {
    expect(checkJsonBounds({ a: [1, 2, { b: 'c' }], d: null }, bounds)).toBeUndefined();
    expect(checkJsonBounds(undefined, bounds)).toBeUndefined();
  });

  it('rejects nesting past the bound, even 100 000 levels deep, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(checkJsonBounds(deep, bounds)?.message).toMatch(/deeper than 8/);
  });

  it('rejects long arrays and names where', () => {
    const err = checkJsonBounds({ list: [1, 2, 3, 4, 5, 6] }, bounds);
    expect(err?.status).toBe(400);
    expect(err?.details).toMatchObject({ path: '$.list' });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s at any depth', (key) => {
    const body = JSON.parse(`{"arguments":{"x":[{"${key}":{"polluted":true}}]}}`) as unknown;
    expect(checkJsonBounds(body, bounds)?.message).toContain(key);
  });

  it.each(String.raw`a\u0000b|\ud800|x\udc00y`.split('|'))(
    'rejects strings PostgreSQL cannot store: %j',
    (s) => {
      const body = JSON.parse(`{"d":"${s}","k":{"${s}":1}}`) as unknown;
      expect(checkJsonBounds(body, bounds)?.code).toBe('INVALID_REQUEST');
      expect(checkJsonBounds({ ok: 'ไทย 🔥 \u202e' }, bounds)).toBeUndefined();
    },
  );
});
