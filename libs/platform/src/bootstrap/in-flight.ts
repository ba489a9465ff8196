import { ShuttingDownError } from '@app/core';
import { pathOf, type Step } from '@app/core';
import { sendError } from '../security/respond.js';

/**
 * Counts the requests a server is working on, so shutdown can wait for them, and
 * turns new requests away once draining starts. Long-lived MCP streams (GET /mcp)
 * are not counted: they never "finish" and are closed when the grace period ends.
 */
export class InFlightRequests {
  private active = 0;
  private draining = false;
  private idle: Array<() => void> = [];

  get count(): number {
    return this.active;
  }

  readonly middleware: Step = (req, res, next) => {
    if (this.draining) {
      res.setHeader('Connection', 'close');
      sendError(req, res, new ShuttingDownError());
      return;
    }
    if (req.method === 'GET' && pathOf(req).toLowerCase().startsWith('/mcp')) return next();
    this.active++;
    let done = false;
    res.on('close', () => {
      if (done) return;
      done = true;
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
