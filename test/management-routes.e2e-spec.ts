import { eventually } from './support/eventually.js';
import {
  createTestDatabase,
  http,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';

interface ToolBody {
  name: string;
  enabled: boolean;
  version: number;
  description: string;
  builtin: boolean;
  inputSchema: { required?: string[]; properties: Record<string, unknown> };
}

describe('tool management routes (GET/PATCH/DELETE /tools/:name)', () => {
  let databaseUrl: string;
  let servers: TestServers;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    servers = await startTestServers(databaseUrl, {}, ['a']);
  });

  afterAll(async () => {
    await servers?.stop();
  });

  const register = (name: string) =>
    http<ToolBody>('POST', `${servers.a}/tools`, {
      name,
      description: 'managed',
      parameters: [{ name: 'q', type: 'string', required: true }],
    });

  describe('GET /tools/:name', () => {
    it('returns one tool with an ETag naming its version', async () => {
      const { status, body, headers } = await http<ToolBody>(
        'GET',
        `${servers.a}/tools/get_stock_price`,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({ name: 'get_stock_price', builtin: true, enabled: true });
      expect(headers.get('etag')).toMatch(new RegExp(`^"${body.version}-[0-9a-f-]{36}"$`));
    });

    it('answers 404 for an unknown tool', async () => {
      const { status, body } = await http('GET', `${servers.a}/tools/nope`);
      expect(status).toBe(404);
      expect(body.code).toBe('TOOL_NOT_FOUND');
    });
  });

  describe('PATCH /tools/:name', () => {
    it('changes description and parameters, bumps the version and the schema', async () => {
      await register('patch_me');
      const before = await http<ToolBody>('GET', `${servers.a}/tools/patch_me`);
      const { status, body, headers } = await http<ToolBody>(
        'PATCH',
        `${servers.a}/tools/patch_me`,
        {
          description: 'changed',
          parameters: [{ name: 'city', type: 'string', required: true }],
        },
        { 'if-match': before.headers.get('etag') ?? '' },
      );
      expect(status).toBe(200);
      expect(body.version).toBe(before.body.version + 1);
      expect(body.description).toBe('changed');
      expect(body.inputSchema.required).toEqual(['city']);
      expect(headers.get('etag')).not.toBe(before.headers.get('etag'));
      const rows = await sql(
        databaseUrl,
        "SELECT description, version FROM tools WHERE server_id = 'server_a' AND name = 'patch_me'",
      );
      expect(rows[0]).toEqual({ description: 'changed', version: body.version });
      const call = await http('POST', `${servers.a}/tools/call`, {
        name: 'patch_me',
        arguments: { q: 'x' },
      });
      expect(call.status).toBe(400);
      expect(call.body.message).toContain('arguments.city');
    });

    it('keeps the version when nothing changes, the parameters and executor sent back included', async () => {
      await register('same_same');
      const { body } = await http<ToolBody>('PATCH', `${servers.a}/tools/same_same`, {
        description: 'managed',
      });
      expect(body.version).toBe(1);
      // What a form saving every field sends, read back from PostgreSQL (whose jsonb orders
      // an object's keys its own way) in between.
      const read = await http<ToolBody & { parameters: unknown[] }>(
        'GET',
        `${servers.a}/tools/same_same`,
      );
      const resaved = await http<ToolBody>('PATCH', `${servers.a}/tools/same_same`, {
        description: 'managed',
        parameters: [{ required: true, type: 'string', name: 'q', description: '' }],
      });
      expect(read.body.parameters).toHaveLength(1);
      expect(resaved.status).toBe(200);
      expect(resaved.body.version).toBe(1);
    });

    it('refuses a stale If-Match with 412 and leaves the tool alone', async () => {
      await register('contended');
      const read = await http('GET', `${servers.a}/tools/contended`);
      const etag = read.headers.get('etag') ?? '';
      const first = await http<ToolBody>(
        'PATCH',
        `${servers.a}/tools/contended`,
        { description: 'operator one' },
        { 'if-match': etag },
      );
      expect(first.status).toBe(200);
      const second = await http(
        'PATCH',
        `${servers.a}/tools/contended`,
        { description: 'operator two' },
        { 'if-match': etag },
      );
      expect(second.status).toBe(412);
      expect(second.body).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { version: 2, etag: first.headers.get('etag') },
      });
      const now = await http<ToolBody>('GET', `${servers.a}/tools/contended`);
      expect(now.body.description).toBe('operator one');
    });

    it('lets exactly one of many concurrent writers with the same If-Match win', async () => {
      await register('race');
      const etag = (await http('GET', `${servers.a}/tools/race`)).headers.get('etag') ?? '';
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          http(
            'PATCH',
            `${servers.a}/tools/race`,
            { description: `writer ${i}` },
            { 'if-match': etag },
          ),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
      const rows = await sql(databaseUrl, "SELECT version FROM tools WHERE name = 'race'");
      expect(rows[0].version).toBe(2);
    });

    it('accepts If-Match: * and a list of tags', async () => {
      await register('listy');
      const etag = (await http('GET', `${servers.a}/tools/listy`)).headers.get('etag') ?? '';
      const star = await http(
        'PATCH',
        `${servers.a}/tools/listy`,
        { title: 'Star' },
        { 'if-match': '*' },
      );
      expect(star.status).toBe(200);
      const list = await http(
        'PATCH',
        `${servers.a}/tools/listy`,
        { title: 'List' },
        { 'if-match': `"0-x", ${star.headers.get('etag')}` },
      );
      expect(list.status).toBe(200);
      expect(etag).not.toBe(star.headers.get('etag'));
    });

    it('disables a tool: still listed with enabled:false, calls get 409 TOOL_DISABLED', async () => {
      const off = await http<ToolBody>('PATCH', `${servers.a}/tools/get_stock_price`, {
        enabled: false,
      });
      expect(off.status).toBe(200);
      expect(off.body.enabled).toBe(false);
      const list = await http<{ tools: ToolBody[] }>('GET', `${servers.a}/tools`);
      expect(list.body.tools.find((t) => t.name === 'get_stock_price')?.enabled).toBe(false);
      const call = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(call.status).toBe(409);
      expect(call.body.code).toBe('TOOL_DISABLED');

      const on = await http<ToolBody>('PATCH', `${servers.a}/tools/get_stock_price`, {
        enabled: true,
      });
      expect(on.body.version).toBe(off.body.version + 1);
      const again = await http('POST', `${servers.a}/tools/call`, {
        name: 'get_stock_price',
        arguments: { symbol: 'AAPL' },
      });
      expect(again.status).toBe(200);
    });

    it('refuses to change what a built-in tool is, with 409 BUILTIN_TOOL_PROTECTED', async () => {
      const { status, body } = await http('PATCH', `${servers.a}/tools/get_stock_price`, {
        description: 'hijacked',
      });
      expect(status).toBe(409);
      expect(body.code).toBe('BUILTIN_TOOL_PROTECTED');
      expect(body.message).toContain('description');
    });

    it.each([
      ['an empty body', {}, 'Nothing to change'],
      ['an unknown field', { name: 'renamed' }, 'name'],
      ['a non-boolean enabled', { enabled: 'no' }, 'enabled'],
      ['an empty description', { description: '' }, 'description'],
      ['a null description', { description: null }, 'description'],
      ['null parameters', { parameters: null }, 'parameters'],
      ['a null enabled', { enabled: null }, 'enabled'],
      [
        'the reserved parameter name',
        { parameters: [{ name: 'operation', type: 'string' }] },
        'operation',
      ],
    ])('rejects %s with 400', async (_label, payload, text) => {
      await register('validated').catch(() => undefined);
      const { status, body } = await http('PATCH', `${servers.a}/tools/validated`, payload);
      expect(status).toBe(400);
      expect(body.message).toContain(text);
    });

    it('answers 404 for an unknown tool', async () => {
      const { status } = await http('PATCH', `${servers.a}/tools/nope`, { enabled: false });
      expect(status).toBe(404);
    });
  });

  describe('DELETE /tools/:name', () => {
    it('deletes a runtime tool: 204, then 404 everywhere', async () => {
      await register('doomed');
      const etag = (await http('GET', `${servers.a}/tools/doomed`)).headers.get('etag') ?? '';
      const del = await http('DELETE', `${servers.a}/tools/doomed`, undefined, {
        'if-match': etag,
      });
      expect(del.status).toBe(204);
      expect((await http('GET', `${servers.a}/tools/doomed`)).status).toBe(404);
      const call = await http('POST', `${servers.a}/tools/call`, { name: 'doomed' });
      expect(call.status).toBe(404);
      const rows = await sql(databaseUrl, "SELECT 1 FROM tools WHERE name = 'doomed'");
      expect(rows).toHaveLength(0);
    });

    it('refuses a stale If-Match with 412, also after delete-and-recreate', async () => {
      await register('phoenix');
      const old = (await http('GET', `${servers.a}/tools/phoenix`)).headers.get('etag') ?? '';
      expect((await http('DELETE', `${servers.a}/tools/phoenix`)).status).toBe(204);
      await register('phoenix');
      const del = await http('DELETE', `${servers.a}/tools/phoenix`, undefined, {
        'if-match': old,
      });
      expect(del.status).toBe(412);
      expect((await http('GET', `${servers.a}/tools/phoenix`)).status).toBe(200);
    });

    it('refuses to delete a built-in tool with 409 BUILTIN_TOOL_PROTECTED', async () => {
      const { status, body } = await http('DELETE', `${servers.a}/tools/get_financial_news`);
      expect(status).toBe(409);
      expect(body.code).toBe('BUILTIN_TOOL_PROTECTED');
      expect((await http('GET', `${servers.a}/tools/get_financial_news`)).status).toBe(200);
    });

    it('answers 404 for an unknown tool', async () => {
      expect((await http('DELETE', `${servers.a}/tools/nope`)).status).toBe(404);
    });
  });

  it('documents every management route in Swagger', async () => {
    const { body } = await http<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      `${servers.a}/docs-json`,
    );
    expect(Object.keys(body.paths['/tools/{name}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ]);
  });
});

describe('tool management across two processes of one server', () => {
  it('shows updates, disabling and deletion made on one process on the other', async () => {
    const databaseUrl = await createTestDatabase();
    const x = await startTestServers(databaseUrl, {}, ['a']);
    const y = await startTestServers(databaseUrl, {}, ['a']);
    try {
      await http('POST', `${x.a}/tools`, { name: 'roaming', description: 'v1' });
      await http('PATCH', `${x.a}/tools/roaming`, { description: 'v2', enabled: false });
      expect(
        await eventually(async () => {
          const r = await http<ToolBody>('GET', `${y.a}/tools/roaming`);
          return r.body.description === 'v2' && r.body.enabled === false && r.body.version === 2;
        }, 5000),
      ).toBe(true);
      const call = await http('POST', `${y.a}/tools/call`, { name: 'roaming' });
      expect(call.body.code).toBe('TOOL_DISABLED');

      await http('DELETE', `${y.a}/tools/roaming`);
      expect(
        await eventually(
          async () => (await http('GET', `${x.a}/tools/roaming`)).status === 404,
          5000,
        ),
      ).toBe(true);
    } finally {
      await Promise.all([x.stop(), y.stop()]);
    }
  });
});
