import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import type { Step } from '../../../core/src/http/node-http.js';
import { frontDoor } from './front-door.js';

describe('frontDoor', () => {
  let server: Server | undefined;

  /** Serves `listener` on a free loopback port; returns its base URL. */
  async function start(listener: RequestListener): Promise<string> {
    server = createServer(listener);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  const app: RequestListener = (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`app after ${String(res.getHeader('x-steps'))}`);
  };
  const mark =
    (name: string): Step =>
    (_req, res, next) => {
      res.setHeader('x-steps', `${String(res.getHeader('x-steps') ?? '')}${name}`);
      next();
    };

  it('runs the steps in order, then hands the request to the application', async () => {
    const later: Step = (req, res, next) => void setImmediate(() => mark('c')(req, res, next));
    const url = await start(
      frontDoor([mark('a'), mark('b'), later], app, recordingLogger().logger),
    );
    expect(await (await fetch(`${url}/anything`)).text()).toBe('app after abc');
  });

  it('lets a step answer, and the application never sees the request', async () => {
    let seen = 0;
    const answer: Step = (_req, res) => void res.end('answered by the step');
    const url = await start(frontDoor([answer], () => void seen++, recordingLogger().logger));
    expect(await (await fetch(url)).text()).toBe('answered by the step');
    expect(seen).toBe(0);
  });

  const throws: Step = () => {
    throw new Error('bug in a step');
  };
  const rejects: Step = async () => {
    await Promise.resolve();
    throw new Error('async bug in a step');
  };
  const passesOn: Step = (_req, _res, next) => next(new Error('bug passed on'));

  it.each([
    ['throws', throws],
    ['rejects', rejects],
    ['passes an error on', passesOn],
  ])(
    'answers a step that %s as a 500 in the platform error shape, without internals',
    async (_case, step) => {
      const { logger, logged } = recordingLogger();
      const url = await start(frontDoor([step], app, logger));
      const res = await fetch(`${url}/tools`);
      expect(res.status).toBe(500);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR', path: '/tools' });
      expect(JSON.stringify(body)).not.toContain('bug');
      // The stack is for the operator's log, not for the client.
      expect(logged).toEqual([
        expect.stringMatching(/GET \/tools failed in the front door[^]*bug/),
      ]);
    },
  );

  it('does not log a refusal a step passes on (bad input, not a bug)', async () => {
    const { logger, logged } = recordingLogger();
    const refuse: Step = (_req, _res, next) =>
      next(Object.assign(new Error('bad json'), { status: 400, type: 'entity.parse.failed' }));
    const url = await start(frontDoor([refuse], app, logger));
    const res = await fetch(`${url}/tools/call`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('MALFORMED_JSON');
    expect(logged).toEqual([]);
  });
});

function recordingLogger(): { logger: LoggerService; logged: string[] } {
  const logged: string[] = [];
  const logger = {
    error: (message: string, stack?: string) => logged.push(`${message} ${stack ?? ''}`),
  } as unknown as LoggerService;
  return { logger, logged };
}
