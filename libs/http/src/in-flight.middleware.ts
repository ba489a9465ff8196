import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type NestMiddleware,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShuttingDownError } from '@app/core';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';

/**
 * Counts the requests a server is working on, so shutdown can wait for them, and turns new
 * requests away (503 SHUTTING_DOWN, answered by the exception filter) once draining starts.
 * Listening streams are not counted: they never "finish". A GET asking for
 * `text/event-stream` (MCP's 2025 listening stream) is known here by its headers; a
 * 2026-07-28 `subscriptions/listen` POST is known only once its body is read, so the MCP
 * endpoint {@link release}s it. Streams are closed by their owners once the drain is over.
 *
 * Draining starts at Nest's first shutdown hook (`onModuleDestroy`, called on every provider
 * before any `beforeApplicationShutdown`, which Nest runs level by level, dependents first)
 * and is awaited in `beforeApplicationShutdown`: the listener still accepts (so a new request
 * gets a 503 it can retry elsewhere, not a refused connection) until the calls in flight have
 * finished or SHUTDOWN_GRACE_MS has passed; Nest then closes the HTTP server.
 */
@Injectable()
export class InFlightRequests
  implements NestMiddleware, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Shutdown');
  private readonly graceMs: number;
  private active = 0;
  private drained?: Promise<boolean>;
  private idle: Array<() => void> = [];
  /** Responses counted once and then released: their close must not count them down again. */
  private readonly released = new WeakSet<ServerResponse>();

  constructor(
    @Inject(HTTP_PIPELINE_OPTIONS) options: Pick<HttpPipelineOptions, 'shutdownGraceMs'>,
  ) {
    this.graceMs = options.shutdownGraceMs;
  }

  /** Requests being worked on now, listening streams left out. */
  get count(): number {
    return this.active;
  }

  /** True once shutdown has begun: new requests are refused. */
  get draining(): boolean {
    return this.drained !== undefined;
  }

  readonly use = (
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void => {
    if (this.drained) {
      res.setHeader('Connection', 'close');
      return next(new ShuttingDownError());
    }
    if (req.method === 'GET' && req.headers.accept?.includes('text/event-stream')) return next();
    this.active++;
    res.once('close', () => {
      if (!this.released.has(res)) this.finished();
    });
    next();
  };

  /** Stops counting a request that turned out to be a listening stream (it may stay open past the drain). */
  release(res: ServerResponse): void {
    if (this.released.has(res)) return;
    this.released.add(res);
    this.finished();
  }

  /**
   * Stops taking new requests and resolves when the last one has finished (true) or
   * SHUTDOWN_GRACE_MS has passed (false). Every caller gets the one drain.
   */
  drain(): Promise<boolean> {
    if (!this.drained) {
      if (this.active > 0) {
        this.logger.log(
          `waiting for ${this.active} request(s) in flight (at most ${this.graceMs} ms)`,
        );
      }
      this.drained = this.waitForIdle().then((finished) => {
        if (!finished) {
          this.logger.warn(
            `${this.active} request(s) still running after SHUTDOWN_GRACE_MS=${this.graceMs}; closing them`,
          );
        }
        return finished;
      });
    }
    return this.drained;
  }

  onModuleDestroy(): void {
    void this.drain();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private finished(): void {
    this.active--;
    if (this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private async waitForIdle(): Promise<boolean> {
    if (this.active === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<true>((resolve) => this.idle.push(() => resolve(true))),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.graceMs);
      }),
    ]);
    clearTimeout(timer);
    return finished;
  }
}
