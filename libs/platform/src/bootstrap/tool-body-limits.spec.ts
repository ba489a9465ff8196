import type { Request, Response } from 'express';
import { Tool } from '@app/tools';
import type { ToolHandler } from '@app/tools';
import { ToolBodyLimits } from './tool-body-limits.js';

@Tool({
  name: 'big',
  description: 'takes large bodies',
  inputSchema: { type: 'object' },
  maxBodyBytes: 5000,
  maxArrayLength: 900,
})
class BigTool implements ToolHandler {
  execute() {
    return {};
  }
}

@Tool({ name: 'small', description: 'default limits', inputSchema: { type: 'object' } })
class SmallTool implements ToolHandler {
  execute() {
    return {};
  }
}

function request(path: string, body: unknown, bytes: number): Request {
  const req = { method: 'POST', url: path, originalUrl: path, body } as Request;
  limits.measure(req, undefined, Buffer.alloc(bytes));
  return req;
}

function respond(req: Request): { status?: number; body?: Record<string, unknown>; next: boolean } {
  const out: { status?: number; body?: Record<string, unknown>; next: boolean } = { next: false };
  const res: Response = {
    setHeader: () => undefined,
    end(json: string) {
      out.status = res.statusCode;
      out.body = JSON.parse(json) as Record<string, unknown>;
    },
  } as unknown as Response;
  void limits.check(req, res, () => {
    out.next = true;
  });
  return out;
}

const limits = new ToolBodyLimits({ maxBodyBytes: 1000, maxArrayLength: 100 }, [
  new BigTool(),
  new SmallTool(),
]);

describe('ToolBodyLimits', () => {
  it('parses calls up to the largest limit a tool declares', () => {
    expect(limits.largest).toEqual({ maxBodyBytes: 5000, maxArrayLength: 900 });
  });

  it('holds each call to its own tool, over REST and MCP', () => {
    expect(respond(request('/tools/call', { name: 'big' }, 4000)).next).toBe(true);
    const small = respond(request('/tools/call', { name: 'small' }, 4000));
    expect(small.status).toBe(413);
    expect(small.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(String(small.body?.message)).toContain("tool 'small'");
    const mcp = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'big' } };
    expect(respond(request('/mcp', mcp, 4000)).next).toBe(true);
    const refused = respond(
      request('/mcp', { ...mcp, id: 'c-7', params: { name: 'small' } }, 4000),
    );
    expect(refused.status).toBe(413);
  });

  it('refuses an oversized MCP call with a JSON-RPC error carrying the request id', () => {
    const body = { jsonrpc: '2.0', id: 'c-7', method: 'tools/call', params: { name: 'small' } };
    const { status, body: answer } = respond(request('/mcp', body, 4000));
    expect(status).toBe(413);
    expect(answer).toMatchObject({
      jsonrpc: '2.0',
      id: 'c-7',
      error: { code: -32000, data: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(String((answer?.error as { message: string }).message)).toContain("tool 'small'");
  });

  it('gives a tool its declared array length and others the default', () => {
    expect(limits.limitsFor(request('/tools/call', { name: 'big' }, 10)).maxArrayLength).toBe(900);
    expect(limits.limitsFor(request('/tools/call', { name: 'nope' }, 10)).maxArrayLength).toBe(100);
    expect(limits.limitsFor(request('/tools', { name: 'big' }, 10)).maxArrayLength).toBe(100);
  });
});
