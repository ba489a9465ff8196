import type { IncomingMessage } from 'node:http';
import { laneRoute, parseJson } from './call-lane.js';

function request(method: string, url: string, headers: Record<string, string>): IncomingMessage {
  return { method, url, headers } as unknown as IncomingMessage;
}

const JSON_BODY = { 'content-type': 'application/json', 'content-length': '2' };

describe('laneRoute', () => {
  it('takes plain JSON calls over REST and MCP', () => {
    expect(laneRoute(request('POST', '/tools/call', JSON_BODY))).toBe('/tools/call');
    expect(laneRoute(request('POST', '/mcp', JSON_BODY))).toBe('/mcp');
    expect(laneRoute(request('POST', '/tools/call?trace=1', JSON_BODY))).toBe('/tools/call');
    const chunked = {
      'content-type': 'Application/JSON; Charset="UTF-8"',
      'transfer-encoding': 'chunked',
    };
    expect(laneRoute(request('POST', '/mcp', chunked))).toBe('/mcp');
    expect(
      laneRoute(request('POST', '/tools/call', { ...JSON_BODY, 'content-encoding': 'identity' })),
    ).toBe('/tools/call');
  });

  it.each([
    ['another route', 'POST', '/tools', JSON_BODY],
    ['another method', 'GET', '/mcp', JSON_BODY],
    ['a compressed body', 'POST', '/tools/call', { ...JSON_BODY, 'content-encoding': 'gzip' }],
    [
      'another charset',
      'POST',
      '/tools/call',
      { ...JSON_BODY, 'content-type': 'application/json; charset=utf-16le' },
    ],
    [
      'a +json media type',
      'POST',
      '/tools/call',
      { ...JSON_BODY, 'content-type': 'application/vnd.api+json' },
    ],
    ['a text body', 'POST', '/mcp', { ...JSON_BODY, 'content-type': 'text/plain' }],
    ['no content type', 'POST', '/mcp', { 'content-length': '2' }],
    ['no body at all', 'POST', '/tools/call', { 'content-type': 'application/json' }],
  ])('leaves %s to the body parser', (_case, method, path, headers) => {
    expect(laneRoute(request(method, path, headers))).toBeUndefined();
  });
});

describe('parseJson', () => {
  const parse = (text: string | Buffer) =>
    parseJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

  it('reads objects and arrays, with or without a byte-order mark', () => {
    expect(parse('{"name":"get_time","arguments":{"a":[1,"é"]}}')).toEqual({
      name: 'get_time',
      arguments: { a: [1, 'é'] },
    });
    expect(parse(' \n\t[1,2]')).toEqual([1, 2]);
    expect(parse('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it('reads an empty body as an empty object, as the body parser does', () => {
    expect(parse('')).toEqual({});
    expect(parse('\uFEFF')).toEqual({});
  });

  it.each(['"text"', '42', 'null', 'true', '   ', '{"name":', '{"a":1}}', "{'a':1}"])(
    'refuses %j as malformed JSON in the body parser error shape',
    (text) => {
      expect(() => parse(text)).toThrow(
        expect.objectContaining({ status: 400, type: 'entity.parse.failed' }),
      );
    },
  );
});
