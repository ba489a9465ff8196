import { getEventListeners } from 'node:events';
import { CallCancelledError, ToolTimeoutError } from '../../../core/src/errors/platform-errors.js';
import { withCallTimeout } from './call-timeout.js';

describe('withCallTimeout', () => {
  it('returns what the executor returns when it is in time', async () => {
    await expect(withCallTimeout('t', 1000, {}, () => 42)).resolves.toBe(42);
  });

  it('aborts the executor signal and answers 504 when time runs out, even if the executor ignores it', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const call = withCallTimeout('slow', 100, {}, (signal) => {
      seen = signal();
      return new Promise(() => undefined);
    });
    await expect(call).rejects.toBeInstanceOf(ToolTimeoutError);
    await expect(call).rejects.toMatchObject({ status: 504, code: 'TOOL_TIMEOUT' });
    expect(seen?.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops when the caller goes away, as a cancelled call (not a failure of the tool)', async () => {
    const client = new AbortController();
    let seen: AbortSignal | undefined;
    const call = withCallTimeout('t', 10_000, client, (signal) => {
      seen = signal();
      return new Promise(() => undefined);
    });
    client.abort(new Error('client closed'));
    await expect(call).rejects.toBeInstanceOf(CallCancelledError);
    await expect(call).rejects.toMatchObject({ status: 499, code: 'CALL_CANCELLED' });
    expect(seen?.aborted).toBe(true);
  });

  it('cancels at once the call of a caller that has already gone', async () => {
    const client = new AbortController();
    client.abort(new Error('gone'));
    let seen: AbortSignal | undefined;
    const call = withCallTimeout('t', 10_000, client, (signal) => {
      seen = signal();
      return new Promise(() => undefined);
    });
    await expect(call).rejects.toBeInstanceOf(CallCancelledError);
    expect(seen?.aborted).toBe(true);
  });

  it("reads the caller's signal only for a call that goes asynchronous", async () => {
    let reads = 0;
    const origin = {
      get signal() {
        reads++;
        return undefined;
      },
    };
    await withCallTimeout('t', 1000, origin, () => 'now');
    expect(reads).toBe(0);
    await withCallTimeout('t', 1000, origin, async () => 'later');
    expect(reads).toBe(1);
  });

  it('answers a synchronous executor without waiting for a timer', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const call = withCallTimeout('t', 60_000, {}, () => 'now');
    expect(timers()).toBe(before);
    await expect(call).resolves.toBe('now');
  });

  it("leaves no listener on the caller's signal, however the executor ends", async () => {
    const client = new AbortController();
    await withCallTimeout('t', 1000, client, () => 1);
    await withCallTimeout('t', 1000, client, async () => 2);
    await expect(
      withCallTimeout('t', 1000, client, () => {
        throw new Error('sync failure');
      }),
    ).rejects.toThrow('sync failure');
    await expect(
      withCallTimeout('t', 1000, client, async () => {
        throw new Error('async failure');
      }),
    ).rejects.toThrow('async failure');
    expect(getEventListeners(client.signal, 'abort')).toHaveLength(0);
  });

  it('makes an AbortController only for an executor that asks for its signal or waits', async () => {
    const Real = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Real {
      constructor() {
        super();
        made++;
      }
    };
    try {
      await withCallTimeout('t', 1000, {}, () => 'quick');
      expect(made).toBe(0);
      let asked: AbortSignal | undefined;
      await withCallTimeout('t', 1000, {}, (signal) => {
        asked = signal();
        return signal() === asked ? 'asked twice, one controller' : 'two controllers';
      });
      expect(made).toBe(1);
      expect(asked?.aborted).toBe(false);
      await withCallTimeout('t', 1000, {}, async () => 'waits');
      expect(made).toBe(2);
    } finally {
      globalThis.AbortController = Real;
    }
  });

  it('passes executor errors through unchanged', async () => {
    const boom = new Error('boom');
    await expect(
      withCallTimeout('t', 1000, {}, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
