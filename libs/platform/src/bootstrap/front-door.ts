import type { RequestListener, Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { answerException } from '../errors/platform-exception.filter.js';
import type { Step } from '@app/core';

/**
 * The server's request listener: the steps every request meets (request id and access log,
 * in-flight count, security headers, CORS, API keys, rate limit, then the call lane), in order,
 * on Node's own request and response; whatever no step answers goes on to the Express
 * application (body parsers, Nest's routes, Swagger UI, the console).
 *
 * Why in front of Express rather than inside it: Express's per-request setup (it swaps the
 * prototypes of the request and the response, then walks its router) costs about as much
 * again as everything the platform does for a tool call, so the calls the call lane answers
 * skip it. Every route still meets the same steps, in the same order, before anything else.
 * A step that throws or rejects is answered as a platform error (500 without details), and
 * its stack goes to `logger`: a bug, not bad input.
 */
export function frontDoor(
  steps: Step[],
  app: RequestListener,
  logger: LoggerService,
): RequestListener {
  return (req, res) => {
    let index = 0;
    const fail = (err: unknown): void => {
      answerException(req, res, err, logger, ' in the front door');
      // Too late to answer: the connection is all that can be ended.
      if (!res.writableEnded) res.destroy();
    };
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null) return fail(err);
      const step = steps[index++];
      if (!step) return void app(req, res);
      try {
        const pending = step(req, res, next);
        if (pending) pending.catch(fail);
      } catch (thrown) {
        fail(thrown);
      }
    };
    next();
  };
}

/** Puts {@link frontDoor} between a Nest application's HTTP server and its Express instance. */
export function installFrontDoor(
  app: INestApplication,
  steps: Step[],
  logger: LoggerService,
): void {
  const server = app.getHttpServer() as Server;
  const express = app.getHttpAdapter().getInstance() as RequestListener;
  if (!server.listeners('request').includes(express)) {
    throw new Error('the HTTP server does not hand its requests to the Express instance');
  }
  server.removeListener('request', express);
  server.on('request', frontDoor(steps, express, logger));
}
