import { Tool } from '../tool.decorator.js';
import type { ToolHandler } from '../tool.types.js';
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

const limits = new ToolBodyLimits({ maxBodyBytes: 1000, maxArrayLength: 100 }, [
  BigTool,
  new SmallTool(),
]);

describe('ToolBodyLimits', () => {
  it('reads calls up to the largest limit a tool declares', () => {
    expect(limits.largest).toEqual({ maxBodyBytes: 5000, maxArrayLength: 900 });
  });

  it('holds each call to its own tool, over REST and MCP', () => {
    expect(limits.problemWith({ name: 'big' }, 4000)).toBeUndefined();
    const small = limits.problemWith({ name: 'small' }, 4000);
    expect(small).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(small?.message).toContain("tool 'small'");
    expect(small?.details).toEqual({ bytes: 4000, maxBodyBytes: 1000, tool: 'small' });
    const mcp = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'big' } };
    expect(limits.problemWith(mcp, 4000)).toBeUndefined();
    const refused = limits.problemWith({ ...mcp, params: { name: 'small' } }, 4000);
    expect(refused?.message).toContain("tool 'small'");
  });

  it('holds a call that names no known tool to the server limit', () => {
    expect(limits.problemWith({ jsonrpc: '2.0', method: 'ping' }, 1001)?.message).toContain(
      'this call accepts at most 1000',
    );
  });

  it('gives a tool its declared array length and others the default', () => {
    expect(limits.limitsFor({ name: 'big' }).maxArrayLength).toBe(900);
    expect(limits.limitsFor({ name: 'nope' }).maxArrayLength).toBe(100);
    expect(limits.problemWith({ name: 'big', arguments: { a: Array(500).fill(1) } }, 10)).toBe(
      undefined,
    );
    expect(
      limits.problemWith({ name: 'small', arguments: { a: Array(500).fill(1) } }, 10),
    ).toMatchObject({ code: 'BODY_TOO_COMPLEX' });
  });
});
