import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowedHosts, PLATFORM_VARIABLES, ToolSecrets } from '@app/core';
import { callHttpTool, checkHttpExecutor, type Resolver } from './http-executor.js';
import type { HttpExecutorConfig } from '../tool.types.js';

describe('HTTP executor and DNS', () => {
  let server: Server;
  let port: number;
  const hosts: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const config = (url: string): HttpExecutorConfig => ({
    type: 'http',
    url,
    method: 'POST',
    headers: {},
    timeoutMs: 2000,
  });
  const context = { signal: new AbortController().signal };
  const secrets = new ToolSecrets(PLATFORM_VARIABLES, {});

  it('refuses a listed name that resolves to a metadata address, at registration and at call time', async () => {
    const resolve: Resolver = async () => [{ address: '169.254.169.254', family: 4 }];
    const options = {
      allowedHosts: parseAllowedHosts('evil.test'),
      maxResponseBytes: 1024,
      resolve,
      secrets,
    };
    await expect(checkHttpExecutor({ url: 'http://evil.test/' }, options)).rejects.toMatchObject({
      status: 400,
      code: 'HTTP_TOOL_HOST_REFUSED',
    });
    await expect(
      callHttpTool('t', config('http://evil.test/'), {}, context, options),
    ).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_TOOL_HOST_REFUSED',
      details: { rule: 'metadata' },
    });
  });

  it('refuses a name when any of its addresses is forbidden', async () => {
    const resolve: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: 'fe80::1', family: 6 },
    ];
    const options = {
      allowedHosts: parseAllowedHosts('mixed.test'),
      maxResponseBytes: 1024,
      resolve,
      secrets,
    };
    await expect(
      callHttpTool('t', config(`http://mixed.test:${port}/`), {}, context, options),
    ).rejects.toMatchObject({ status: 502 });
  });

  it('connects to exactly the address it checked: a rebinding DNS gets no second answer', async () => {
    let lookups = 0;
    // A rebinding server answers a safe address once, then the metadata address.
    const resolve: Resolver = async () =>
      lookups++ === 0
        ? [{ address: '127.0.0.1', family: 4 }]
        : [{ address: '169.254.169.254', family: 4 }];
    const options = {
      // The loopback address is listed too: a listed name may only turn into a listed loopback.
      allowedHosts: parseAllowedHosts(`rebind.test,127.0.0.1:${port}`),
      maxResponseBytes: 1024,
      resolve,
      secrets,
    };
    const result = await callHttpTool(
      't',
      config(`http://rebind.test:${port}/`),
      {},
      context,
      options,
    );
    expect(result).toEqual({ ok: true });
    expect(lookups).toBe(1);
    expect(hosts.at(-1)).toBe(`rebind.test:${port}`);
  });
});
