import {
  isJSONRPCRequest,
  isJSONRPCResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { ErrorCode, ShuttingDownError } from '@app/core';

/**
 * A transport around another (stdio's) that knows which requests are still unanswered, so a
 * shutdown can let them finish, and that refuses new ones while draining, with the JSON-RPC
 * error HTTP clients get on `/mcp` (-32000, `SHUTTING_DOWN`). A `subscriptions/listen`
 * request is a stream, not a call: it is not waited for.
 */
export class DrainingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private readonly pending = new Set<RequestId>();
  private idle: Array<() => void> = [];
  private draining = false;

  constructor(private readonly inner: Transport) {}

  /** Requests received and not yet answered. */
  get unanswered(): number {
    return this.pending.size;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => this.receive(message, extra);
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => {
      this.pending.clear();
      this.settle();
      this.onclose?.();
    };
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } finally {
      if (
        isJSONRPCResponse(message) &&
        message.id !== undefined &&
        this.pending.delete(message.id)
      ) {
        this.settle();
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /**
   * Refuses new requests from now on and resolves when every request received has been
   * answered (true) or after `graceMs` (false).
   */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    if (this.pending.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      new Promise<true>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    return answered;
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (isJSONRPCRequest(message) && message.method !== 'subscriptions/listen') {
      if (this.draining) {
        const refusal = new ShuttingDownError();
        void this.inner
          .send({
            jsonrpc: '2.0',
            id: message.id,
            error: {
              code: -32000,
              message: refusal.message,
              data: { code: ErrorCode.SHUTTING_DOWN },
            },
          })
          .catch((err: unknown) => this.onerror?.(err as Error));
        return;
      }
      this.pending.add(message.id);
    }
    this.onmessage?.(message, extra);
  }

  private settle(): void {
    if (this.pending.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}
