import type { NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShuttingDownError } from '@app/core';

/**
 * Counts the requests a server is working on, so shutdown can wait for them, and turns new
 * requests away (503 SHUTTING_DOWN, answered by the exception filter) once draining starts.
 * Long-lived event streams (a GET asking for `text/event-stream`: MCP's listening stream) are
 * not counted: they never "finish" and are closed when the grace period ends.
 */
export class InFlightRequests implements NestMiddleware {
  private active = 0;
  private draining = false;
  private idle: Array<() => void> = [];

  get count(): number {
    return this.active;
  }

  readonly use = (
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      return next(new ShuttingDownError());
    }
    if (req.method === 'GET' && req.headers.accept?.includes('text/event-stream')) return next();
    this.active++;
    res.once('close', () => {
      this.active--;
      if (this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
    next();
  };

  /** Stops taking new requests and resolves when the last one finishes or after `graceMs`; true when all finished. */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    if (this.active === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<true>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    return finished;
  }
}
