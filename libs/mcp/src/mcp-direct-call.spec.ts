import type { IncomingHttpHeaders } from 'node:http';
import { directToolCall } from './mcp-direct-call.js';

const V = '2026-07-28';
const headers: IncomingHttpHeaders = {
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  'mcp-protocol-version': V,
  'mcp-method': 'tools/call',
  'mcp-name': 'get_time',
};
const meta = {
  'io.modelcontextprotocol/protocolVersion': V,
  'io.modelcontextprotocol/clientInfo': { name: 'client', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const body = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name: 'get_time', arguments: { timezone: 'Asia/Bangkok' }, _meta: meta },
};

type Body = typeof body;
const withParams = (params: Record<string, unknown>): Body =>
  ({ ...body, params: { ...body.params, ...params } }) as Body;
const withMeta = (extra: Record<string, unknown>): Body =>
  withParams({ _meta: { ...meta, ...extra } });

describe('directToolCall', () => {
  it('recognises a plain 2026-07-28 tools/call and keeps the arguments object itself', () => {
    const call = directToolCall(headers, body);
    expect(call).toEqual({ id: 7, name: 'get_time', arguments: { timezone: 'Asia/Bangkok' } });
    expect(call?.arguments).toBe(body.params.arguments);
  });

  it('accepts string ids, missing arguments and a client title and capabilities', () => {
    const call = directToolCall(headers, {
      ...withParams({ arguments: undefined }),
      id: 'req-1',
      params: {
        name: 'get_time',
        _meta: {
          ...meta,
          'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1', title: 'C' },
          'io.modelcontextprotocol/clientCapabilities': { sampling: {}, elicitation: {} },
        },
      },
    });
    expect(call).toEqual({ id: 'req-1', name: 'get_time', arguments: {} });
  });

  const cases: Array<[string, IncomingHttpHeaders, unknown]> = [
    ['a 2025-11-25 request', { ...headers, 'mcp-protocol-version': '2025-11-25' }, body],
    ['no protocol header', { ...headers, 'mcp-protocol-version': undefined }, body],
    [
      'an Mcp-Method header naming another method',
      { ...headers, 'mcp-method': 'tools/list' },
      body,
    ],
    ['an Mcp-Name header naming another tool', { ...headers, 'mcp-name': 'other' }, body],
    ['a Base64-encoded Mcp-Name', { ...headers, 'mcp-name': '=?base64?Z2V0X3RpbWU=?=' }, body],
    ['no Mcp-Name header', { ...headers, 'mcp-name': undefined }, body],
    ['an Accept without JSON', { ...headers, accept: 'text/event-stream' }, body],
    ['an Mcp-Param-* header', { ...headers, 'mcp-param-region': 'x' }, body],
    ['a batch', headers, [body]],
    ['no body', headers, undefined],
    ['a notification (no id)', headers, { ...body, id: undefined }],
    ['a null id', headers, { ...body, id: null }],
    ['a fractional id', headers, { ...body, id: 1.5 }],
    ['another method', headers, { ...body, method: 'tools/list' }],
    ['a JSON-RPC 1.0 body', headers, { ...body, jsonrpc: '1.0' }],
    ['an extra top-level field', headers, { ...body, extra: 1 }],
    ['an extra params field', headers, withParams({ task: {} })],
    ['array arguments', headers, withParams({ arguments: [1] })],
    ['null arguments', headers, withParams({ arguments: null })],
    ['a numeric name', headers, withParams({ name: 5 })],
    ['no envelope', headers, withParams({ _meta: undefined })],
    ['a progress token', headers, withMeta({ progressToken: 'p1' })],
    ['a log level', headers, withMeta({ 'io.modelcontextprotocol/logLevel': 'debug' })],
    [
      'an envelope naming another revision',
      headers,
      withMeta({ 'io.modelcontextprotocol/protocolVersion': '2025-11-25' }),
    ],
    [
      'client info without a version',
      headers,
      withMeta({ 'io.modelcontextprotocol/clientInfo': { name: 'c' } }),
    ],
    [
      'client info with icons',
      headers,
      withMeta({ 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1', icons: [] } }),
    ],
    [
      'capabilities that are not objects',
      headers,
      withMeta({ 'io.modelcontextprotocol/clientCapabilities': { sampling: true } }),
    ],
  ];

  it.each(cases)('leaves %s to the SDK', (_label, h, b) => {
    expect(directToolCall(h, b)).toBeUndefined();
  });
});
