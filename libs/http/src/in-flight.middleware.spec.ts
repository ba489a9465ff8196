import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShuttingDownError } from '@app/core';
import { InFlightRequests } from './in-flight.middleware.js';

/** A response as the middleware sees it: headers and the `close` event. */
class FakeResponse extends EventEmitter {
  headers: Record<string, string> = {};
  setHeader(name: string, value: string): void {
    this.headers[name.toLowerCase()] = value;
  }
  finish(): void {
    this.emit('close');
  }
}

const GRACE_MS = 12_000;

describe('InFlightRequests', () => {
  let inFlight: InFlightRequests;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    inFlight = new InFlightRequests({ shutdownGraceMs: GRACE_MS });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  /** Sends one request through the middleware; returns its response and what `next` got. */
  function request(method = 'POST', accept = 'application/json') {
    const res = new FakeResponse();
    let passed: unknown = 'not called';
    inFlight.use(
      { method, headers: { accept } } as IncomingMessage,
      res as unknown as ServerResponse,
      (err?: unknown) => {
        passed = err;
      },
    );
    return { res, passed: () => passed };
  }

  it('counts a request from its arrival until its response closes', () => {
    const { res, passed } = request();
    expect(passed()).toBeUndefined();
    expect(inFlight.count).toBe(1);
    res.finish();
    expect(inFlight.count).toBe(0);
  });

  it('does not count a listening stream (GET text/event-stream)', () => {
    request('GET', 'text/event-stream');
    expect(inFlight.count).toBe(0);
  });

  it('waits for the requests in flight, however long, within the grace period', async () => {
    const slow = request();
    let drained: boolean | undefined;
    void inFlight.drain().then((d) => (drained = d));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(drained).toBeUndefined();
    slow.res.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(drained).toBe(true);
  });

  it('turns new requests away with SHUTTING_DOWN and Connection: close while draining', () => {
    request();
    void inFlight.drain();
    const late = request();
    expect(late.passed()).toBeInstanceOf(ShuttingDownError);
    expect(late.res.headers.connection).toBe('close');
    expect(inFlight.count).toBe(1);
    expect(inFlight.draining).toBe(true);
  });

  it('starts draining at the first shutdown hook, gives up after the grace period and says so', async () => {
    request();
    inFlight.onModuleDestroy();
    expect(inFlight.draining).toBe(true);
    expect(Logger.prototype.log).toHaveBeenCalledWith(
      `waiting for 1 request(s) in flight (at most ${GRACE_MS} ms)`,
    );
    const drained = inFlight.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(GRACE_MS);
    await drained;
    await expect(inFlight.drain()).resolves.toBe(false);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      `1 request(s) still running after SHUTDOWN_GRACE_MS=${GRACE_MS}; closing them`,
    );
  });

  it('releases a request that became a listening stream, once', async () => {
    const stream = request();
    inFlight.release(stream.res as unknown as ServerResponse);
    inFlight.release(stream.res as unknown as ServerResponse);
    expect(inFlight.count).toBe(0);
    stream.res.finish();
    expect(inFlight.count).toBe(0);
    await expect(inFlight.drain()).resolves.toBe(true);
  });

  it('is one drain for every caller', () => {
    expect(inFlight.drain()).toBe(inFlight.drain());
  });
});
