import fc from 'fast-check';
import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import { sendRaw } from './support/raw-http.js';
import { ADMIN, ALICE, KEYS_ENV } from './support/keys.js';

/**
 * Walks every route and method of the served OpenAPI document with hostile path parameters,
 * bodies and headers, without a key, with a caller key and with the admin key: no answer may
 * be a 5xx and no connection may be dropped. The walk is systematic (each operation with each
 * hostile path value and each hostile body) plus a bounded random part for headers.
 */

/** Path parameter values no tool name may have, already encoded as they go on the wire. */
const HOSTILE_PATH_VALUES = [
  '%00',
  'a%00b',
  '%01%02%1f',
  'get_time%0a',
  '%0d%0aSet-Cookie:%20x=1',
  '%7f',
  'x'.repeat(129),
  'y'.repeat(8_000),
  '%E5%B7%A5%E5%85%B7',
  '%E0%B9%84%E0%B8%97%E0%B8%A2',
  '%F0%9F%94%A5',
  '%ED%A0%80',
  '%FF%FE',
  '%C0%AE%C0%AE',
  '..',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  'a%2Fb',
  '%2F',
  '%5C',
  '%',
  '%ZZ',
  '%25',
  'name%20with%20space',
  "x'%3B%20DROP%20TABLE%20tools%3B%20--",
  '%E2%80%AEevil',
  'no_such_tool',
  'get_time',
];

const hostileText = (n: number) => `{"name":"get_time","arguments":{"t":"${'x'.repeat(n)}"}}`;

/** Bodies for every operation; a JSON body with `\u0000` is what PostgreSQL refuses to store. */
const HOSTILE_BODIES: Array<{ type?: string; text: string }> = [
  { type: 'application/json', text: '{"name":"nul_desc","description":"a\\u0000b"}' },
  {
    type: 'application/json',
    text: '{"name":"nul_param","description":"x","parameters":[{"name":"p","type":"string","description":"a\\u0000b"}]}',
  },
  { type: 'application/json', text: '{"description":"a\\u0000b","title":"t\\u0000"}' },
  {
    type: 'application/json',
    text: '{"enabled":"yes","executor":{"type":"http","url":"\\u0000"}}',
  },
  { type: 'application/json', text: '{"name":"x","description":"' + 'd'.repeat(5000) + '"}' },
  { type: 'application/json', text: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}' },
  { type: 'application/json', text: '{"__proto__":{"polluted":true}}' },
  { type: 'application/json', text: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}` },
  { type: 'application/json', text: '{"unterminated":' },
  { type: 'application/json', text: 'null' },
  { type: 'application/json', text: '[]' },
  { type: 'application/json; charset=utf-16', text: '{}' },
  { type: 'text/plain', text: 'hello' },
  { type: 'application/x-www-form-urlencoded', text: 'name=x&description=y' },
  { type: 'application/json', text: hostileText(1_200_000) },
  { text: '{"name":"no_type"}' },
];

const KEYS: Array<[label: string, headers: Record<string, string>]> = [
  ['no key', {}],
  ['caller key', { authorization: `Bearer ${ALICE}` }],
  ['admin key', { authorization: `Bearer ${ADMIN}` }],
];

interface Operation {
  method: string;
  /** The OpenAPI path, `{name}` placeholders included. */
  template: string;
}

/** Every operation of an OpenAPI document. */
function operationsOf(document: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  return Object.entries(document.paths).flatMap(([template, item]) =>
    Object.keys(item)
      .filter((m) => methods.has(m))
      .map((m) => ({ method: m.toUpperCase(), template })),
  );
}

/**
 * Routes served beside the document: MCP is excluded from it (its contract is MCP's own), and
 * the docs and console are static pages.
 */
const UNDOCUMENTED: Operation[] = [
  { method: 'GET', template: '/mcp' },
  { method: 'POST', template: '/mcp' },
  { method: 'DELETE', template: '/mcp' },
  { method: 'GET', template: '/docs' },
  { method: 'GET', template: '/docs-yaml' },
  { method: 'GET', template: '/console' },
  { method: 'GET', template: '/console/{name}' },
];

/** The path with every `{param}` set to `value` (already encoded). */
const fill = (template: string, value: string) => template.replace(/\{[^}]+\}/g, value);

const headerValue = fc.oneof(
  fc.constantFrom(
    '*',
    '"1-x"',
    'W/"tools-1"',
    '"' + 'e'.repeat(9000) + '"',
    'text/event-stream',
    '2025-11-25',
    'gzip',
    'https://evil.example',
    '1.2.3.4, ::1',
    'null',
    '',
  ),
  fc.stringMatching(/^[\x21-\x7e]{0,120}$/),
);
const hostileHeaders = fc.dictionary(
  fc.constantFrom(
    'if-match',
    'if-none-match',
    'x-request-id',
    'accept',
    'accept-encoding',
    'content-encoding',
    'origin',
    'host',
    'x-forwarded-for',
    'mcp-protocol-version',
    'mcp-session-id',
    'traceparent',
    'range',
  ),
  headerValue,
  { minKeys: 1, maxKeys: 4 },
);

describe('Security: every OpenAPI route and method with hostile input, on both servers', () => {
  let servers: TestServers;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, {
      ...KEYS_ENV,
      CALL_TIMEOUT_MS: '5000',
    });
  });
  afterAll(() => servers?.stop());

  const admin = { authorization: `Bearer ${ADMIN}` };

  it.each([
    ['a NUL', 'GET', '/tools/a%00b'],
    ['a line feed', 'GET', '/tools/get_time%0a/stats'],
    ['129 characters', 'PATCH', `/tools/${'x'.repeat(129)}`],
    ['a control character', 'DELETE', '/tools/%01'],
    ['an encoded slash', 'DELETE', '/tools/a%2Fb'],
  ])(
    'a tool name with %s (%s): 400 INVALID_REQUEST naming the path parameter, before any lookup',
    async (_label, method, path) => {
      const body = Buffer.from('{"enabled":false}');
      const res = await sendRaw(
        servers.a,
        method,
        path,
        { ...admin, 'content-type': 'application/json', 'content-length': String(body.length) },
        body,
      );
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        code: 'INVALID_REQUEST',
        message: 'name in the path must match ^[A-Za-z0-9_.-]{1,128}$',
        details: [{ field: 'name' }],
      });
    },
  );

  it('answers 400 INVALID_REQUEST for a value PostgreSQL cannot store, naming it, and stores nothing', async () => {
    const created = await http(
      'POST',
      `${servers.b}/tools`,
      { name: 'nul_probe', description: 'a\u0000b' },
      admin,
    );
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { field: '$.description' },
    });
    expect(await sql(databaseUrl, `SELECT 1 FROM tools WHERE name = 'nul_probe'`)).toEqual([]);

    expect(
      (await http('POST', `${servers.b}/tools`, { name: 'nul_later', description: 'ok' }, admin))
        .status,
    ).toBe(201);
    const changed = await http(
      'PATCH',
      `${servers.b}/tools/nul_later`,
      { parameters: [{ name: 'p', type: 'string', description: 'a\u0000b' }] },
      admin,
    );
    expect(changed.status).toBe(400);
    expect(changed.body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(
      (await http<{ version: number }>('GET', `${servers.b}/tools/nul_later`)).body.version,
    ).toBe(1);
  });

  it.each(['a', 'b'] as const)(
    'server %s: no 5xx and no dropped connection, with and without keys',
    async (key) => {
      const base = servers[key];
      const docs = await sendRaw(base, 'GET', '/docs-json', { authorization: `Bearer ${ADMIN}` });
      expect(docs.status).toBe(200);
      const document = JSON.parse(docs.body);
      const operations = [...operationsOf(document), ...UNDOCUMENTED];
      // The document states the rule a path's tool name is held to, once per parameter.
      for (const [template, method] of [
        ['/tools/{name}', 'get'],
        ['/tools/{name}', 'delete'],
        ['/tools/{name}/stats', 'get'],
      ]) {
        const params = (
          document.paths[template][method].parameters as Array<{ in: string }>
        ).filter((p) => p.in === 'path');
        expect(params).toEqual([
          expect.objectContaining({
            name: 'name',
            required: true,
            schema: expect.objectContaining({ pattern: '^[A-Za-z0-9_.-]{1,128}$' }),
          }),
        ]);
      }
      // The document covers what the fuzz must reach: management routes with a path parameter.
      expect(operations).toEqual(
        expect.arrayContaining([
          { method: 'GET', template: '/tools/{name}' },
          { method: 'PATCH', template: '/tools/{name}' },
          { method: 'DELETE', template: '/tools/{name}' },
          { method: 'GET', template: '/tools/{name}/stats' },
          { method: 'POST', template: '/tools/call' },
        ]),
      );

      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let sent = 0;
      const attempt = async (
        method: string,
        path: string,
        headers: Record<string, string>,
        body?: { type?: string; text: string },
      ) => {
        const bytes = body && Buffer.from(body.text, 'utf8');
        const all = {
          ...headers,
          ...(body?.type ? { 'content-type': body.type } : {}),
          ...(bytes ? { 'content-length': String(bytes.length) } : {}),
        };
        sent++;
        try {
          const res = await sendRaw(base, method, path, all, bytes);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 || res.status < 100) {
            failures.push(
              `${method} ${path.slice(0, 120)} -> ${res.status} ${res.body.slice(0, 200)}`,
            );
          }
        } catch (err) {
          failures.push(`${method} ${path.slice(0, 120)} dropped: ${(err as Error).message}`);
        }
      };

      for (const op of operations) {
        const paths = op.template.includes('{')
          ? HOSTILE_PATH_VALUES.map((v) => fill(op.template, v))
          : [op.template, `${op.template}/%00`, `${op.template}%00`];
        for (const [, auth] of KEYS) {
          for (const path of paths) await attempt(op.method, path, auth);
          const bodyPath = fill(op.template, 'get_time');
          if (op.method !== 'GET' && op.method !== 'HEAD') {
            for (const body of HOSTILE_BODIES) await attempt(op.method, bodyPath, auth, body);
          }
        }
      }

      // Headers at random over the same operations, bounded and reproducible (FUZZ_SEED explores).
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...operations),
          fc.constantFrom(...HOSTILE_PATH_VALUES),
          fc.constantFrom(...KEYS),
          hostileHeaders,
          async (op, value, [, auth], headers) => {
            await attempt(op.method, fill(op.template, value), { ...headers, ...auth });
          },
        ),
        { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
      );

      if (process.env.FUZZ_VERBOSE) console.log(key, sent, Object.fromEntries(statuses));
      expect(failures).toEqual([]);
      // The walk got past authentication into validation and the routes themselves.
      for (const status of [200, 400, 401, 403, 404])
        expect(statuses.get(status)).toBeGreaterThan(0);
      expect((await sendRaw(base, 'GET', '/health', {})).status).toBe(200);
    },
    240_000,
  );
});
