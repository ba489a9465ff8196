import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorBody } from '@app/core';
import { ErrorCode, PlatformError } from '@app/core';

/** What the console is mounted on: a Nest Express application, or a bare Express app in tests. */
export interface ConsoleHost {
  use(path: string, handler: RequestHandler): unknown;
}

/** Where the console is mounted on every server. */
export const CONSOLE_PATH = '/console';

/**
 * The console talks to its own origin only (and, in OAuth mode, to the authorization server it
 * signs in at); nothing inline, nothing from elsewhere.
 */
function consoleCsp(connectTo: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectTo].join(' '),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The MCP Apps sandbox proxy page of the console (console/public/sandbox.html). */
export const SANDBOX_PAGE = 'sandbox.html';

// The sandbox proxy and the views it loads (srcdoc documents inherit this policy): inline
// scripts and styles, which a single-file view is made of, and nothing from any origin. The
// console host thereby allows views no external domain at all, which the MCP Apps extension
// lets a host do ("MAY further restrict"); the proxy adds each view's declared policy on top.
const SANDBOX_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "object-src 'none'",
].join('; ');

/** `dist/console` of the project, found from this file in the sources (tests) and in dist (npm start). */
export function consoleDirectory(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(dir, 'dist', 'console');
}

/**
 * Serves the built web console (`npm run build` puts it in dist/console) at /console.
 * Hashed assets are cached for a year; index.html is revalidated so a new build shows at once.
 */
export function mountConsole(
  app: ConsoleHost,
  directory = consoleDirectory(),
  /** Origins the console may also fetch from: the OAuth issuer's, in OAuth mode. */
  connectTo: readonly string[] = [],
): void {
  const csp = consoleCsp(connectTo);
  if (!existsSync(join(directory, 'index.html'))) {
    app.use(CONSOLE_PATH, (req: Request, res: Response) => {
      const error = new PlatformError(
        404,
        ErrorCode.ROUTE_NOT_FOUND,
        'The web console is not built: run `npm run build`, then restart the server',
      );
      res.status(404).json(toErrorBody(error, req.originalUrl));
    });
    return;
  }
  const assets = join(directory, 'assets') + sep;
  // Relative asset URLs need the trailing slash: /console would load /assets/... instead.
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    const [path, query] = req.originalUrl.split('?', 2);
    if (path === CONSOLE_PATH) res.redirect(301, `${CONSOLE_PATH}/${query ? `?${query}` : ''}`);
    else next();
  });
  app.use(
    CONSOLE_PATH,
    express.static(directory, {
      index: 'index.html',
      redirect: true,
      fallthrough: true,
      setHeaders(res, path) {
        const sandbox = path === join(directory, SANDBOX_PAGE);
        res.setHeader('Content-Security-Policy', sandbox ? SANDBOX_CSP : csp);
        // The console frames the sandbox page (helmet denies framing everywhere else).
        if (sandbox) res.setHeader('X-Frame-Options', 'SAMEORIGIN');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader(
          'Cache-Control',
          path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
}
