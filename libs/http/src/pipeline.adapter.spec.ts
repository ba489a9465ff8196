import express from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import {
  PipelineExpressAdapter,
  PipelineRequest,
  PipelineResponse,
  sendHeadersAtOnce,
} from './pipeline.adapter.js';

describe('PipelineExpressAdapter', () => {
  // Express swaps the prototypes, so the classes show in the fields they declared, not in instanceof.
  it('serves with the pipeline’s request and response, on which Express adds (almost) nothing', async () => {
    const adapter = new PipelineExpressAdapter();
    adapter.initHttpServer({});
    const declared = (o: object) => new Set(Reflect.ownKeys(o));
    const fresh = {
      req: declared(new PipelineRequest(new Socket())),
      res: declared(new PipelineResponse(new PipelineRequest(new Socket()))),
    };
    let added: { req: string[]; res: string[] } | undefined;
    const app = adapter.getInstance<express.Express>();
    app.use(express.json());
    app.post('/x/:id', (req, res) => {
      res.on('close', () => undefined);
      res.status(200).json({ ok: true });
      const own = (o: object, base: Set<PropertyKey>) =>
        Reflect.ownKeys(o)
          .filter((k) => !base.has(k))
          .map(String);
      added = { req: own(req, fresh.req), res: own(res, fresh.res) };
    });
    const server = adapter.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/x/1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await answer.json()).toEqual({ ok: true });
      // Only the router's private route symbol; Node's own bookkeeping is set before Express runs.
      expect(added?.req).toEqual(['Symbol(router.tracing.matchedRoute)']);
      expect(added?.res.filter((k) => !k.startsWith('_') && !k.startsWith('Symbol(k'))).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('gives requests and responses Express’s prototypes from birth, so its own swap changes nothing', async () => {
    const adapter = new PipelineExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<express.Express>();
    let born: { req: object | null; res: object | null; fields: boolean } | undefined;
    const server = adapter.getHttpServer();
    // Runs before Express: what Node made.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      born = {
        req: Object.getPrototypeOf(req) as object | null,
        res: Object.getPrototypeOf(res) as object | null,
        fields: Object.hasOwn(req, 'body') && Object.hasOwn(res, 'locals'),
      };
    });
    app.get('/y', (req, res) => {
      res.json({
        isIncoming: req instanceof IncomingMessage,
        isResponse: res instanceof ServerResponse,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/y`);
      expect(await answer.json()).toEqual({ isIncoming: true, isResponse: true });
      expect(born).toEqual({ req: app.request, res: app.response, fields: true });
    } finally {
      server.close();
    }
  });

  it('sends a long-lived stream’s headers as soon as they are written, before any event', async () => {
    const adapter = new PipelineExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<express.Express>();
    const held: ServerResponse[] = [];
    app.get('/events', (_req, res) => {
      sendHeadersAtOnce(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      held.push(res); // no event yet: only the headers can reach the client
    });
    const server = adapter.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/events`, {
        signal: AbortSignal.timeout(5000),
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/event-stream');
      await answer.body?.cancel();
    } finally {
      held.forEach((res) => res.destroy());
      server.close();
    }
  });

  it('refuses the Nest options it does not serve', () => {
    expect(() =>
      new PipelineExpressAdapter().initHttpServer({ forceCloseConnections: true }),
    ).toThrow(/InFlightRequests/);
  });
});
