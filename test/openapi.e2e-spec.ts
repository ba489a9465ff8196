import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createTestDatabase,
  http,
  type Json,
  startTestServers,
  type TestServers,
} from './support/harness.js';

const REDOCLY = resolve('node_modules/@redocly/cli/bin/cli.js');
const REDOCLY_CONFIG = resolve('redocly.yaml');
/** The operations that are open to anyone and take no input: they have no 4xx answer. */
const NO_CLIENT_ERROR = [
  'get /health',
  'get /health/live',
  'get /health/ready',
  'get /info',
  'get /metrics',
  'get /tools',
];

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer: string }>;
}

/** Lints one OpenAPI document with the Redocly CLI and the project's redocly.yaml (recommended rules). */
function lint(document: unknown, dir: string, name: string): LintProblem[] {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  const run = spawnSync(
    process.execPath,
    [REDOCLY, 'lint', file, '--config', REDOCLY_CONFIG, '--format', 'json'],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  );
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly printed no report: ${run.stderr}`);
  return (JSON.parse(run.stdout.slice(start)) as { problems: LintProblem[] }).problems;
}

/** Every operation of a document as `method path` with the operation. */
function operations(document: Json): Array<[string, Json]> {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => [`${method} ${path}`, op as Json] as [string, Json]),
  );
}

describe('The OpenAPI document each server serves (Swagger UI at /docs)', () => {
  let servers: TestServers;
  let work: string;
  const documents: Record<'a' | 'b', Json> = { a: {}, b: {} };
  const toolNames: Record<'a' | 'b', string[]> = { a: [], b: [] };

  beforeAll(async () => {
    // Every example is executed below: no data provider may need the internet.
    servers = await startTestServers(await createTestDatabase(), { WEATHER_PROVIDER: 'simulated' });
    work = mkdtempSync(join(tmpdir(), 'openapi-'));
    documents.a = (await http<Json>('GET', `${servers.a}/docs-json`)).body;
    documents.b = (await http<Json>('GET', `${servers.b}/docs-json`)).body;
    for (const which of ['a', 'b'] as const) {
      const { tools } = (await http<Json>('GET', `${servers[which]}/tools`)).body;
      toolNames[which] = tools.map((t: Json) => t.name);
    }
  });

  afterAll(async () => {
    await servers?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(['a', 'b'] as const)(
    "of server %s names the server's own URL and says the key is an API key, not a JWT",
    (which) => {
      const document = documents[which];
      expect(document.servers).toEqual([expect.objectContaining({ url: servers[which] })]);
      const scheme = document.components.securitySchemes.bearer;
      expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'API key' });
      expect(scheme.description).toContain('not a JWT');
      // Open routes ask for no key; the call and management routes do.
      const ops = Object.fromEntries(operations(document));
      expect(ops['get /health'].security).toEqual([]);
      expect(ops['post /tools/call'].security).toEqual([{ bearer: [] }]);
      expect(ops['post /tools'].security).toEqual([{ bearer: [] }]);
    },
  );

  it.each(['a', 'b'] as const)(
    'pre-fills POST /tools/call of server %s with its own tools only, and every example runs',
    async (which) => {
      const document = documents[which];
      const own = toolNames[which];
      const examples = document.paths['/tools/call'].post.requestBody.content['application/json']
        .examples as Record<string, { value: { name: string; arguments: Json } }>;
      const values = Object.values(examples).map((e) => e.value);
      expect(values.length).toBeGreaterThanOrEqual(own.length);
      expect(new Set(values.map((v) => v.name))).toEqual(new Set(own));
      const readOne = document.paths['/tools/{name}'].get.parameters.find(
        (p: Json) => p.name === 'name',
      );
      expect(own).toContain(readOne.example);
      for (const value of values) {
        const res = await http<Json>('POST', `${servers[which]}/tools/call`, value);
        expect([value.name, res.status]).toEqual([value.name, 200]);
      }
    },
  );

  it.each(['a', 'b'] as const)(
    'of server %s shows under each error status a real error of that status, and a 4xx wherever one exists',
    (which) => {
      const codesByStatus = new Map<string, Set<string>>();
      for (const [name, op] of operations(documents[which])) {
        const statuses = Object.keys(op.responses);
        if (!NO_CLIENT_ERROR.includes(name)) {
          expect([name, statuses.some((s) => s.startsWith('4'))]).toEqual([name, true]);
        }
        for (const status of statuses.filter(
          (s) => Number(s) >= 400 && !name.includes('/health'),
        )) {
          const examples = op.responses[status].content['application/json'].examples as Record<
            string,
            { value: Json }
          >;
          expect(Object.keys(examples).length).toBeGreaterThan(0);
          for (const [code, { value }] of Object.entries(examples)) {
            expect(value).toMatchObject({ statusCode: Number(status), code });
            expect(value.message).toEqual(expect.any(String));
            codesByStatus.set(status, (codesByStatus.get(status) ?? new Set()).add(code));
          }
        }
      }
      expect([...codesByStatus.keys()].sort()).toEqual(
        expect.arrayContaining([
          '400',
          '401',
          '403',
          '404',
          '409',
          '412',
          '413',
          '415',
          '429',
          '501',
          '502',
          '504',
        ]),
      );
      expect(codesByStatus.get('404')).toEqual(new Set(['TOOL_NOT_FOUND']));
      expect(codesByStatus.get('401')).toEqual(new Set(['UNAUTHORIZED']));
    },
  );

  it('documents the very answers the server gives to these mistakes', async () => {
    const call = documents.b.paths['/tools/call'].post.responses;
    const register = documents.b.paths['/tools'].post.responses;
    const documented = (responses: Json, status: number, code: string) =>
      responses[status].content['application/json'].examples[code].value.message;

    const empty = await http<Json>('POST', `${servers.b}/tools`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe(documented(register, 400, 'INVALID_REQUEST'));

    const typo = documented(call, 404, 'TOOL_NOT_FOUND') as string;
    const name = /^Tool '([^']+)'/.exec(typo)?.[1] ?? '';
    const unknown = await http<Json>('POST', `${servers.b}/tools/call`, { name, arguments: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(typo);

    const form = await fetch(`${servers.b}/tools/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=get_time',
    });
    expect(form.status).toBe(415);
    expect(((await form.json()) as Json).message).toBe(
      documented(call, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    );
  });

  // Last: a lint runs longer than the servers keep an idle connection open, and fetch would
  // then send the next request on a connection the server has closed.
  it.each(['a', 'b'] as const)(
    'of server %s passes redocly lint (recommended rules) with no error and no warning',
    (which) => {
      const problems = lint(documents[which], work, which);
      expect(
        problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`),
      ).toEqual([]);
    },
  );
});
