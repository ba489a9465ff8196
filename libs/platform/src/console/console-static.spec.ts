import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleDirectory, mountConsole } from './console-static.js';

async function serve(directory: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  mountConsole(app, directory);
  app.use((_req, res) => {
    res.status(404).json({ fallthrough: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('mountConsole', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-static-'));
    mkdirSync(join(dir, 'built', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'built', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'built', 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'built', 'sandbox.html'), '<!doctype html><title>sandbox</title>');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the MCP Apps sandbox page with inline scripts allowed, nothing from any origin, framable by the console only', async () => {
    const s = await serve(join(dir, 'built'));
    try {
      const res = await fetch(`${s.url}/console/sandbox.html`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      // The console itself keeps its own strict policy.
      const index = await fetch(`${s.url}/console/`);
      expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    } finally {
      await s.close();
    }
  });

  it('serves index.html at /console/ with a strict CSP and no long-term caching', async () => {
    const s = await serve(join(dir, 'built'));
    try {
      const res = await fetch(`${s.url}/console/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
    } finally {
      await s.close();
    }
  });

  it('redirects /console to /console/ so relative asset URLs resolve, keeping the query', async () => {
    const s = await serve(join(dir, 'built'));
    try {
      const res = await fetch(`${s.url}/console?x=1`, { redirect: 'manual' });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('/console/?x=1');
    } finally {
      await s.close();
    }
  });

  it('caches hashed assets for a year and lets unknown paths fall through to the app', async () => {
    const s = await serve(join(dir, 'built'));
    try {
      const asset = await fetch(`${s.url}/console/assets/index-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const missing = await fetch(`${s.url}/console/assets/nope.js`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ fallthrough: true });
    } finally {
      await s.close();
    }
  });

  it('answers 404 in the API error shape, saying how to build, when the console is not built', async () => {
    const s = await serve(join(dir, 'missing'));
    try {
      const res = await fetch(`${s.url}/console/`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND', path: '/console/' });
      expect(body.message).toContain('npm run build');
    } finally {
      await s.close();
    }
  });

  it('finds dist/console at the project root from the sources and from dist', () => {
    const root = consoleDirectory(join(process.cwd(), 'libs', 'tools', 'src', 'console'));
    expect(root).toBe(join(process.cwd(), 'dist', 'console'));
    expect(consoleDirectory(join(process.cwd(), 'dist', 'libs', 'tools', 'src', 'console'))).toBe(
      root,
    );
  });
});
