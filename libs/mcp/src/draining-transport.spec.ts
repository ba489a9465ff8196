import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { DrainingTransport } from './draining-transport.js';

/** The wire under the transport: what the client sent in, what the server wrote out. */
class FakeWire implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  written: JSONRPCMessage[] = [];
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage): Promise<void> {
    this.written.push(message);
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
  receive(message: JSONRPCMessage): void {
    this.onmessage?.(message);
  }
}

const call = (id: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'slow' },
});

describe('DrainingTransport', () => {
  let wire: FakeWire;
  let transport: DrainingTransport;
  let delivered: JSONRPCMessage[];

  beforeEach(async () => {
    jest.useFakeTimers();
    wire = new FakeWire();
    transport = new DrainingTransport(wire);
    delivered = [];
    transport.onmessage = (m) => void delivered.push(m);
    await transport.start();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('passes messages both ways and knows which requests are unanswered', async () => {
    wire.receive(call(1));
    wire.receive({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(delivered).toHaveLength(2);
    expect(transport.unanswered).toBe(1);
    await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    expect(wire.written).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    expect(transport.unanswered).toBe(0);
  });

  it('waits for the requests in flight to be answered before the drain ends', async () => {
    wire.receive(call(7));
    let drained: boolean | undefined;
    void transport.drain(12_000).then((d) => (drained = d));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(drained).toBeUndefined();
    await transport.send({ jsonrpc: '2.0', id: 7, result: { content: [] } });
    await jest.advanceTimersByTimeAsync(0);
    expect(drained).toBe(true);
  });

  it('answers new requests with SHUTTING_DOWN while draining, without passing them on', async () => {
    void transport.drain(1000);
    wire.receive(call(2));
    await jest.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual([]);
    expect(wire.written).toEqual([
      {
        jsonrpc: '2.0',
        id: 2,
        error: {
          code: -32000,
          message: expect.stringContaining('shutting down'),
          data: { code: 'SHUTTING_DOWN' },
        },
      },
    ]);
  });

  it('does not wait for a subscription, which stays open as long as the client listens', async () => {
    wire.receive({ jsonrpc: '2.0', id: 3, method: 'subscriptions/listen', params: {} });
    expect(transport.unanswered).toBe(0);
    await expect(transport.drain(1000)).resolves.toBe(true);
  });

  it('gives up after the grace period', async () => {
    wire.receive(call(4));
    const drained = transport.drain(1000);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(drained).resolves.toBe(false);
  });

  it('ends the drain when the client closes the connection', async () => {
    wire.receive(call(5));
    const drained = transport.drain(60_000);
    await wire.close();
    await expect(drained).resolves.toBe(true);
  });
});
