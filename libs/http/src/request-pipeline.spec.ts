import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { constantHeaders } from './request-pipeline.js';

function headersAfter(middleware: RequestHandler): Record<string, unknown> {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  let nextCalled = false;
  void middleware(req as Request, res as unknown as Response, () => {
    nextCalled = true;
  });
  expect(nextCalled).toBe(true);
  return { ...res.getHeaders() };
}

describe('constantHeaders', () => {
  it.each([
    ['the defaults', {}],
    [
      'the platform settings',
      {
        contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"] } },
        frameguard: { action: 'deny' as const },
        strictTransportSecurity: false,
        crossOriginResourcePolicy: { policy: 'cross-origin' as const },
      },
    ],
  ])("sets exactly helmet's headers for %s", (_label, options) => {
    const expected = headersAfter(helmet(options));
    expect(Object.keys(expected).length).toBeGreaterThan(8);
    expect(headersAfter(constantHeaders(helmet(options)) as RequestHandler)).toEqual(expected);
  });

  it('refuses a middleware that does not finish at once (its headers could depend on the request)', () => {
    expect(() => constantHeaders(() => undefined)).toThrow(/did not finish synchronously/);
  });
});
