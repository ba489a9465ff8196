import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShuttingDownError } from '@app/core';
import { InFlightRequests } from './in-flight.middleware.js';

/** A request and its response as the middleware sees them: headers in, `close` and headers out. */
function exchange(method = 'POST', accept?: string) {
  const req = { method, headers: accept ? { accept } : {} } as unknown as IncomingMessage;
  const headers = new Map<string, unknown>();
  const res = Object.assign(new EventEmitter(), {
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
  }) as unknown as ServerResponse;
  const next = jest.fn();
  return { req, res, next, headers, finish: () => res.emit('close') };
}

describe('InFlightRequests: counting and draining', () => {
  let inFlight: InFlightRequests;

  beforeEach(() => {
    jest.useFakeTimers();
    inFlight = new InFlightRequests();
  });
  afterEach(() => jest.useRealTimers());

  const admit = (e: ReturnType<typeof exchange>) => inFlight.use(e.req, e.res, e.next);

  it('counts a request from its start until its response closes', () => {
    const one = exchange();
    const two = exchange('GET');
    admit(one);
    admit(two);
    expect(inFlight.count).toBe(2);
    expect(one.next).toHaveBeenCalledWith();
    one.finish();
    expect(inFlight.count).toBe(1);
    two.finish();
    expect(inFlight.count).toBe(0);
  });

  it('leaves listening event streams out: they never finish on their own', () => {
    const stream = exchange('GET', 'application/json, text/event-stream');
    admit(stream);
    expect(inFlight.count).toBe(0);
    expect(stream.next).toHaveBeenCalledWith();
  });

  it('drains at once when nothing is in flight', async () => {
    await expect(inFlight.drain(10_000)).resolves.toBe(true);
  });

  it('waits for the last request to finish, within the grace period', async () => {
    const one = exchange();
    const two = exchange();
    admit(one);
    admit(two);
    let drained: boolean | undefined;
    const draining = inFlight.drain(10_000).then((done) => (drained = done));
    one.finish();
    await jest.advanceTimersByTimeAsync(9_000);
    expect(drained).toBeUndefined();
    two.finish();
    await draining;
    expect(drained).toBe(true);
    // The grace timer is cleared: nothing is left to fire.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives up when the grace period ends, saying not everything finished', async () => {
    const stuck = exchange();
    admit(stuck);
    let drained: boolean | undefined;
    const draining = inFlight.drain(5_000).then((done) => (drained = done));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(drained).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await draining;
    expect(drained).toBe(false);
    expect(inFlight.count).toBe(1);
  });

  it('refuses new requests while draining with 503 SHUTTING_DOWN and a closing connection', async () => {
    const running = exchange();
    admit(running);
    const draining = inFlight.drain(5_000);
    const late = exchange();
    admit(late);
    expect(late.next).toHaveBeenCalledWith(expect.any(ShuttingDownError));
    expect(late.next.mock.calls[0][0]).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
    expect(late.headers.get('connection')).toBe('close');
    expect(inFlight.count).toBe(1);
    running.finish();
    await expect(draining).resolves.toBe(true);
  });

  it('lets every waiter know when the last request finishes', async () => {
    const one = exchange();
    admit(one);
    const first = inFlight.drain(5_000);
    const second = inFlight.drain(5_000);
    one.finish();
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
  });
});
