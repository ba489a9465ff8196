import express from 'express';
import { IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import {
  PipelineExpressAdapter,
  PipelineRequest,
  PipelineResponse,
  sendHeadersAtOnce,
} from './pipeline.adapter.js';

describe('PipelineExpressAdapter', () => {
  const open: Server[] = [];
  afterEach(() => open.splice(0).forEach((server) => server.close()));

  /** An adapter serving on a free loopback port; routes are added to its app afterwards. */
  async function serving(): Promise<{ app: express.Express; server: Server; url: string }> {
    const adapter = new PipelineExpressAdapter();
    adapter.initHttpServer({});
    const server = adapter.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push(server);
    const { port } = server.address() as AddressInfo;
    return { app: adapter.getInstance<express.Express>(), server, url: `http://127.0.0.1:${port}` };
  }

  // Express swaps the prototypes, so the classes show in the fields they declared, not in instanceof.
  it('serves with the pipeline’s request and response, on which Express adds (almost) nothing', async () => {
    const { app, url } = await serving();
    const declared = (o: object) => new Set(Reflect.ownKeys(o));
    const fresh = {
      req: declared(new PipelineRequest(new Socket())),
      res: declared(new PipelineResponse(new PipelineRequest(new Socket()))),
    };
    let added: { req: string[]; res: string[] } | undefined;
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
    const answer = await fetch(`${url}/x/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await answer.json()).toEqual({ ok: true });
    // Only the router's private route symbol; Node's own bookkeeping is set before Express runs.
    expect(added?.req).toEqual(['Symbol(router.tracing.matchedRoute)']);
    expect(added?.res.filter((k) => !k.startsWith('_') && !k.startsWith('Symbol(k'))).toEqual([]);
  });

  it('gives requests and responses Express’s prototypes from birth, so its own swap changes nothing', async () => {
    const { app, server, url } = await serving();
    let born: { req: object | null; res: object | null; fields: boolean } | undefined;
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
    const answer = await fetch(`${url}/y`);
    expect(await answer.json()).toEqual({ isIncoming: true, isResponse: true });
    expect(born).toEqual({ req: app.request, res: app.response, fields: true });
  });

  it('sends a long-lived stream’s headers as soon as they are written, before any event', async () => {
    const { app, url } = await serving();
    const held: ServerResponse[] = [];
    app.get('/events', (_req, res) => {
      sendHeadersAtOnce(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      held.push(res); // no event yet: only the headers can reach the client
    });
    try {
      const answer = await fetch(`${url}/events`, { signal: AbortSignal.timeout(5000) });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/event-stream');
      await answer.body?.cancel();
    } finally {
      held.forEach((res) => res.destroy());
    }
  });

  it('refuses the Nest options it does not serve', () => {
    expect(() =>
      new PipelineExpressAdapter().initHttpServer({ forceCloseConnections: true }),
    ).toThrow(/InFlightRequests/);
  });
});
