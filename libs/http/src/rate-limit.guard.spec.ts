import { jest } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { RateLimitedError } from '@app/core';
import type { HttpPipelineOptions } from './pipeline.options.js';
import { addressKey, RateLimit, RateLimitGuard } from './rate-limit.guard.js';

class Routes {
  @RateLimit()
  call(): void {}

  list(): void {}
}

/** A request from `caller` (a key name) or, without one, from `address`, and what it answered. */
function request(route: keyof Routes, who: { caller?: string; address?: string }) {
  const headers = new Map<string, string>();
  const req = {
    caller: who.caller ? { name: who.caller } : undefined,
    socket: { remoteAddress: who.address ?? '127.0.0.1' },
  } as unknown as Request;
  const res = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
  } as unknown as Response;
  const context = {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

function guardWith(rateLimitPerMinute: number): RateLimitGuard {
  return new RateLimitGuard(new Reflector(), { rateLimitPerMinute } as HttpPipelineOptions);
}

/** Runs one request through the guard: true when admitted, the refusal otherwise. */
async function pass(guard: RateLimitGuard, r: ReturnType<typeof request>): Promise<unknown> {
  try {
    return await guard.canActivate(r.context);
  } catch (err) {
    return err;
  }
}

describe('RateLimitGuard: who is counted and what they are told', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('counts only the routes marked @RateLimit()', async () => {
    const guard = guardWith(1);
    for (let i = 0; i < 3; i++) {
      const r = request('list', { caller: 'alice' });
      expect(await pass(guard, r)).toBe(true);
      expect(r.headers.size).toBe(0);
    }
  });

  it('counts nothing when the limit is 0 (off)', async () => {
    const guard = guardWith(0);
    for (let i = 0; i < 5; i++)
      expect(await pass(guard, request('call', { caller: 'a' }))).toBe(true);
  });

  it('sends the RateLimit headers, then 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const guard = guardWith(2);
    const first = request('call', { caller: 'alice' });
    expect(await pass(guard, first)).toBe(true);
    expect(Object.fromEntries(first.headers)).toEqual({
      'ratelimit-policy': '2;w=60',
      'ratelimit-limit': '2',
      'ratelimit-remaining': '1',
      'ratelimit-reset': '60',
    });
    expect(await pass(guard, request('call', { caller: 'alice' }))).toBe(true);
    await jest.advanceTimersByTimeAsync(20_000);
    const refused = request('call', { caller: 'alice' });
    const error = await pass(guard, refused);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      details: { limitPerMinute: 2, retryAfterSeconds: 40 },
    });
    expect(refused.headers.get('retry-after')).toBe('40');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('gives the budget back when the minute is over', async () => {
    const guard = guardWith(1);
    expect(await pass(guard, request('call', { caller: 'alice' }))).toBe(true);
    expect(await pass(guard, request('call', { caller: 'alice' }))).toBeInstanceOf(
      RateLimitedError,
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await pass(guard, request('call', { caller: 'alice' }))).toBe(true);
  });

  it('keeps one budget per key name, whatever address it comes from', async () => {
    const guard = guardWith(1);
    expect(await pass(guard, request('call', { caller: 'alice', address: '10.0.0.1' }))).toBe(true);
    expect(
      await pass(guard, request('call', { caller: 'alice', address: '10.0.0.2' })),
    ).toBeInstanceOf(RateLimitedError);
    expect(await pass(guard, request('call', { caller: 'bob', address: '10.0.0.1' }))).toBe(true);
    // An anonymous caller on the same address as alice has a budget of its own.
    expect(await pass(guard, request('call', { address: '10.0.0.1' }))).toBe(true);
  });

  it('counts anonymous callers per address, IPv6 per /56 and IPv4-mapped as IPv4', async () => {
    const guard = guardWith(1);
    expect(await pass(guard, request('call', { address: '2001:db8:0:1::1' }))).toBe(true);
    expect(await pass(guard, request('call', { address: '2001:db8:0:ff::2' }))).toBeInstanceOf(
      RateLimitedError,
    );
    expect(await pass(guard, request('call', { address: '2001:db8:0:100::1' }))).toBe(true);
    expect(await pass(guard, request('call', { address: '192.0.2.7' }))).toBe(true);
    expect(await pass(guard, request('call', { address: '::ffff:192.0.2.7' }))).toBeInstanceOf(
      RateLimitedError,
    );
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    [undefined, 'unknown'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('puts the addresses of one IPv6 /56 under one key, and another /56 under another', () => {
    expect(addressKey('2001:db8:0:1::1')).toBe(addressKey('2001:db8:0:ff::2'));
    expect(addressKey('2001:db8:0:100::1')).not.toBe(addressKey('2001:db8:0:1::1'));
  });
});
