import { readFileSync } from 'node:fs';
import { connectClient, listAllTools, type TestMcpClient } from './support/mcp-clients.js';
import {
  createTestDatabase,
  http,
  type Json,
  sql,
  startTestServers,
  type TestServers,
} from './support/harness.js';
import {
  petstoreDocument,
  startPetstoreFixture,
  type PetstoreFixture,
} from './support/petstore-fixture.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/openapi/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

const PETSTORE_OPERATIONS = 20;
/** The Petstore operations whose request body is a form or a file upload. */
const NOT_JSON = ['updatePetWithForm', 'uploadFile'];

describe('POST /tools/import: a REST API as tools from its OpenAPI document', () => {
  let upstream: PetstoreFixture;
  let databaseUrl: string;
  let x: TestServers;
  let y: TestServers;
  let client: TestMcpClient;
  let other: TestMcpClient;

  beforeAll(async () => {
    upstream = await startPetstoreFixture();
    databaseUrl = await createTestDatabase();
    const env = {
      HTTP_TOOL_ALLOWED_HOSTS: `127.0.0.1:${new URL(upstream.url).port}`,
      OPENAPI_MAX_OPERATIONS: '600',
      OPENAPI_MAX_DOCUMENT_BYTES: '3000000',
    };
    // Two processes of Server B on one database: an import on x is served at once by y.
    x = await startTestServers(databaseUrl, env, ['b']);
    y = await startTestServers(databaseUrl, env, ['b']);
    client = await connectClient('2026-07-28', new URL(`${x.b}/mcp`));
    other = await connectClient('2025-11-25', new URL(`${y.b}/mcp`));
    await Promise.all([client.listen(), other.listen()]);
  });

  afterAll(async () => {
    await client?.close();
    await other?.close();
    await Promise.all([x?.stop(), y?.stop()]);
    await upstream?.close();
  });

  const importDoc = (body: Record<string, unknown>, server = () => x.b) =>
    http<Json>('POST', `${server()}/tools/import`, body);
  const call = (name: string, args: Record<string, unknown>, server = () => y.b) =>
    http<Json>('POST', `${server()}/tools/call`, { name, arguments: args });
  // Each test imports under a prefix of its own and reads its own rows, so it passes alone and
  // in any order, whatever the others imported.
  const importedRows = (prefix = '') =>
    sql<{ name: string }>(
      databaseUrl,
      'SELECT name FROM tools WHERE import_source IS NOT NULL AND starts_with(name, $1) ORDER BY name',
      [prefix],
    );
  const petstoreFromUrl = (prefix: string) => ({
    source: { url: `${upstream.url}/openapi.json` },
    baseUrl: `${upstream.url}/v2`,
    prefix,
    headers: { 'X-Client': 'mcp-import' },
  });
  /**
   * Runs `change` and waits until both clients have heard its list_changed, so that no
   * announcement of one test is still on its way when the next one counts them.
   */
  const heardBoth = async <T>(change: () => Promise<T>): Promise<T> => {
    const heard = [client.nextToolsChanged(), other.nextToolsChanged()];
    const result = await change();
    await Promise.all(heard);
    return result;
  };
  const lastRequest = () => upstream.received[upstream.received.length - 1];

  describe('a dry run', () => {
    it('answers 200 with what the import would do, and stores nothing', async () => {
      const { status, body } = await importDoc({
        source: { document: petstoreDocument() },
        baseUrl: `${upstream.url}/v2`,
        prefix: 'dry_',
        dryRun: true,
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        dryRun: true,
        source: 'document:Swagger Petstore',
        prefix: 'dry_',
        title: 'Swagger Petstore',
        openapi: '3.0.0',
        operations: PETSTORE_OPERATIONS,
        updated: [],
        unchanged: [],
        removed: [],
      });
      expect(body.created).toHaveLength(PETSTORE_OPERATIONS - NOT_JSON.length);
      expect(body.created).toContainEqual({
        name: 'dry_getPetById',
        operationId: 'getPetById',
        method: 'GET',
        path: '/pet/{petId}',
        summary: 'Find pet by ID',
        tags: ['pet'],
      });
      expect(body.skipped.map((s: Json) => s.operationId).sort()).toEqual(NOT_JSON);
      expect(body.skipped[0].reason).toMatch(/request body is not JSON/);
      expect(await importedRows('dry_')).toEqual([]);
      expect((await http<Json>('GET', `${x.b}/tools/dry_getPetById`)).status).toBe(404);
    });

    it('honours include and exclude by operationId and by tag, saying why each was left out', async () => {
      const { body } = await importDoc({
        source: { document: petstoreDocument() },
        baseUrl: `${upstream.url}/v2`,
        include: ['store', 'loginUser'],
        exclude: ['deleteOrder'],
        dryRun: true,
      });
      expect(body.created.map((c: Json) => c.name).sort()).toEqual([
        'getInventory',
        'getOrderById',
        'loginUser',
        'placeOrder',
      ]);
      const reasons = Object.fromEntries(body.skipped.map((s: Json) => [s.operationId, s.reason]));
      expect(reasons.deleteOrder).toBe('in exclude');
      expect(reasons.addPet).toBe('not in include');
    });
  });

  describe('an import from the document URL', () => {
    let result: Json;

    beforeAll(async () => {
      const heard = client.nextToolsChanged();
      const before = client.toolsChangedCount();
      const answer = await importDoc(petstoreFromUrl('pet_'));
      expect(answer.status).toBe(201);
      result = answer.body;
      await heard;
      // Settle: any further announcement for the same import would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(client.toolsChangedCount() - before).toBe(1);
    });

    it('creates one tool per operation, remembering its source and operation', async () => {
      expect(result.dryRun).toBe(false);
      expect(result.created).toHaveLength(PETSTORE_OPERATIONS - NOT_JSON.length);
      expect((await importedRows('pet_')).length).toBe(PETSTORE_OPERATIONS - NOT_JSON.length);
      const { status, body, headers } = await http<Json>('GET', `${y.b}/tools/pet_getPetById`);
      expect(status).toBe(200);
      expect(headers.get('etag')).toMatch(/^"1-/);
      expect(body).toMatchObject({
        name: 'pet_getPetById',
        title: 'Find pet by ID',
        builtin: false,
        enabled: true,
        version: 1,
        openapi: {
          source: `${upstream.url}/openapi.json`,
          prefix: 'pet_',
          operationId: 'getPetById',
          method: 'GET',
          path: '/pet/{petId}',
        },
        executor: {
          type: 'http',
          url: `${upstream.url}/v2`,
          method: 'GET',
          headers: { 'X-Client': 'mcp-import' },
        },
        annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: true },
      });
      expect(body.description).toMatch(/^Find pet by ID\n\nReturns a single pet/);
      expect(body.inputSchema.required).toEqual(['petId']);
      expect(body.inputSchema.properties.petId).toMatchObject({ type: 'integer' });
      expect(body.outputSchema).toMatchObject({ type: 'object', required: ['name', 'photoUrls'] });
    });

    it('flattens a JSON body into the arguments when no name collides', async () => {
      const { body } = await http<Json>('GET', `${x.b}/tools/pet_addPet`);
      expect(Object.keys(body.inputSchema.properties).sort()).toEqual([
        'category',
        'id',
        'name',
        'operation',
        'photoUrls',
        'status',
        'tags',
      ]);
      expect(body.inputSchema.required).toEqual(['name', 'photoUrls']);
    });

    it('calls over REST: path parameters encoded, the configured header sent', async () => {
      const { status, body } = await call('pet_getPetById', { petId: 7 });
      expect(status).toBe(200);
      expect(body.result).toMatchObject({ id: 7, name: 'pet-7' });
      expect(lastRequest()).toMatchObject({ method: 'GET', path: '/v2/pet/7', query: '' });
      expect(lastRequest().headers['x-client']).toBe('mcp-import');
    });

    it('serialises an array query parameter as the document says (form, explode)', async () => {
      const { status } = await call('pet_findPetsByStatus', { status: ['available', 'sold'] });
      expect(status).toBe(200);
      expect(lastRequest()).toMatchObject({
        method: 'GET',
        path: '/v2/pet/findByStatus',
        query: 'status=available&status=sold',
      });
    });

    it('encodes reserved characters in query values', async () => {
      await call('pet_loginUser', { username: 'a b&c', password: 'p=1' });
      expect(lastRequest().query).toBe('username=a%20b%26c&password=p%3D1');
    });

    it('sends the flattened body as JSON', async () => {
      const { body } = await call('pet_addPet', { name: 'Rex', photoUrls: ['r.png'] });
      expect(body.result).toMatchObject({ id: 99, name: 'Rex' });
      expect(lastRequest()).toMatchObject({ method: 'POST', path: '/v2/pet' });
      expect(lastRequest().body).toMatchObject({ name: 'Rex', photoUrls: ['r.png'] });
      expect(lastRequest().headers['content-type']).toBe('application/json');
    });

    it('sends header parameters and uses the operation method', async () => {
      await call('pet_deletePet', { petId: 3, api_key: 'k-123' });
      expect(lastRequest()).toMatchObject({ method: 'DELETE', path: '/v2/pet/3' });
      expect(lastRequest().headers.api_key).toBe('k-123');
    });

    it('validates arguments against the imported schema before calling', async () => {
      const count = upstream.received.length;
      const { status, body } = await call('pet_getPetById', { petId: 'seven' });
      expect(status).toBe(400);
      expect(body.code).toBe('INVALID_ARGUMENTS');
      expect(upstream.received.length).toBe(count);
    });

    it('lists and calls the tools over MCP (SDK client) on the other process', async () => {
      const tools = await listAllTools(other);
      const tool = tools.find((t) => t.name === 'pet_getPetById');
      expect(tool?.inputSchema).toMatchObject({ required: ['petId'] });
      const answer = await other.callTool('pet_getPetById', { petId: 12 });
      expect(answer.isError).toBeFalsy();
      expect(answer.structuredContent).toMatchObject({ id: 12, name: 'pet-12' });
      expect(lastRequest().path).toBe('/v2/pet/12');
      const listed = await client.callTool('pet_findPetsByStatus', { status: ['pending'] });
      expect(listed.isError).toBeFalsy();
      expect(lastRequest().query).toBe('status=pending');
    });

    it('leaves imported tools manageable like any tool', async () => {
      const disabled = await heardBoth(() =>
        http<Json>('PATCH', `${x.b}/tools/pet_logoutUser`, { enabled: false }),
      );
      expect(disabled.status).toBe(200);
      expect((await call('pet_logoutUser', {}, () => x.b)).body.code).toBe('TOOL_DISABLED');
    });

    it('refuses to change what the document defines (409 IMPORTED_TOOL_PROTECTED); its description may change', async () => {
      const before = await http<Json>('GET', `${x.b}/tools/pet_getPetById`);
      for (const change of [
        { parameters: [{ name: 'id', type: 'string', required: true }] },
        { executor: { type: 'http', url: `${upstream.url}/v2/pet`, method: 'GET' } },
      ]) {
        const refused = await http<Json>('PATCH', `${x.b}/tools/pet_getPetById`, change);
        expect(refused.status).toBe(409);
        expect(refused.body.code).toBe('IMPORTED_TOOL_PROTECTED');
        expect(refused.body.message).toContain('import it again');
      }
      const described = await http<Json>('PATCH', `${x.b}/tools/pet_getPetById`, {
        description: 'One pet, by id',
      });
      expect(described.status).toBe(200);
      expect(described.body.description).toBe('One pet, by id');
      expect(described.body.inputSchema).toEqual(before.body.inputSchema);
      // A form that saves every field sends the same parameters back (without the platform's
      // own `operation`, as the console does): that is no change.
      const resaved = await http<Json>('PATCH', `${x.b}/tools/pet_getPetById`, {
        description: 'One pet, by its id',
        parameters: (before.body.parameters as Array<{ name: string }>).filter(
          (p) => p.name !== 'operation',
        ),
      });
      expect(resaved.status).toBe(200);
      // Its request mapping is intact: the path parameter still goes into the path.
      expect((await call('pet_getPetById', { petId: 7 }, () => x.b)).status).toBe(200);
      expect(lastRequest()).toMatchObject({ method: 'GET', path: '/v2/pet/7' });
    });
  });

  describe('importing the same source and prefix again', () => {
    it('with nothing changed: everything unchanged, nothing written, nothing announced', async () => {
      const first = await heardBoth(() => importDoc(petstoreFromUrl('same_')));
      expect(first.status).toBe(201);
      const before = client.toolsChangedCount();
      const { status, body } = await importDoc(petstoreFromUrl('same_'));
      expect(status).toBe(201);
      expect(body.created).toEqual([]);
      expect(body.updated).toEqual([]);
      expect(body.removed).toEqual([]);
      expect(body.unchanged).toHaveLength(PETSTORE_OPERATIONS - NOT_JSON.length);
      // Nothing is the event here: an announcement, if any, would have arrived by now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(client.toolsChangedCount()).toBe(before);
    });

    it('after the API changed: updates changed tools, removes gone ones, keeps the rest, one list_changed', async () => {
      expect((await heardBoth(() => importDoc(petstoreFromUrl('changed_')))).status).toBe(201);
      // What the operator chose before the change.
      const disable = () => http('PATCH', `${x.b}/tools/changed_logoutUser`, { enabled: false });
      expect((await heardBoth(disable)).status).toBe(200);

      const changed = petstoreDocument() as Json;
      changed.paths['/pet/{petId}'].get.summary = 'Find a pet by its ID';
      delete changed.paths['/pet/{petId}'].delete;
      changed.paths['/pet/{petId}/age'] = {
        get: {
          operationId: 'getPetAge',
          summary: 'Age of a pet',
          parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { 200: { description: 'ok' } },
        },
      };
      upstream.document = changed;
      try {
        const etag = (await http('GET', `${x.b}/tools/changed_getPetById`)).headers.get('etag');

        const heardHere = client.nextToolsChanged();
        const heardThere = other.nextToolsChanged();
        const before = [client.toolsChangedCount(), other.toolsChangedCount()];
        const { status, body } = await importDoc(petstoreFromUrl('changed_'));
        expect(status).toBe(201);
        expect(body.created.map((c: Json) => c.name)).toEqual(['changed_getPetAge']);
        expect(body.updated.map((c: Json) => c.name)).toEqual(['changed_getPetById']);
        expect(body.removed).toEqual([
          {
            name: 'changed_deletePet',
            operationId: 'deletePet',
            method: 'DELETE',
            path: '/pet/{petId}',
          },
        ]);
        expect(body.unchanged).toHaveLength(PETSTORE_OPERATIONS - NOT_JSON.length - 2);
        await Promise.all([heardHere, heardThere]);
        // A second announcement for the same import, if any, would have arrived by now.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(client.toolsChangedCount() - before[0]).toBe(1);
        expect(other.toolsChangedCount() - before[1]).toBe(1);

        const updated = await http<Json>('GET', `${y.b}/tools/changed_getPetById`);
        expect(updated.body).toMatchObject({ title: 'Find a pet by its ID', version: 2 });
        expect(updated.headers.get('etag')).not.toBe(etag);
        expect((await http('GET', `${y.b}/tools/changed_deletePet`)).status).toBe(404);
        // What the operator chose stays: the disabled tool is still disabled.
        const logout = await http<Json>('GET', `${y.b}/tools/changed_logoutUser`);
        expect(logout.body.enabled).toBe(false);
        await call('changed_getPetAge', { petId: 5 });
        expect(lastRequest().path).toBe('/v2/pet/5/age');
      } finally {
        // The other tests import the document as shipped.
        upstream.document = petstoreDocument();
      }
    });

    it('with another prefix: a separate set of tools, the first left alone', async () => {
      expect((await heardBoth(() => importDoc(petstoreFromUrl('first_')))).status).toBe(201);
      const firstRows = await importedRows('first_');
      const { body } = await heardBoth(() =>
        importDoc({
          source: { url: `${upstream.url}/openapi.json` },
          baseUrl: `${upstream.url}/v2`,
          prefix: 'shop.',
          include: ['store'],
        }),
      );
      expect(body.created.map((c: Json) => c.name).sort()).toEqual([
        'shop.deleteOrder',
        'shop.getInventory',
        'shop.getOrderById',
        'shop.placeOrder',
      ]);
      expect(body.removed).toEqual([]);
      expect((await http('GET', `${x.b}/tools/first_getPetById`)).status).toBe(200);
      expect(await importedRows('first_')).toEqual(firstRows);
    });

    it('skips an operation whose name a tool of another origin holds, saying so', async () => {
      const mine = await heardBoth(() =>
        http('POST', `${x.b}/tools`, {
          name: 'mine_getInventory',
          description: 'Registered by hand',
        }),
      );
      expect(mine.status).toBe(201);
      const { status, body } = await heardBoth(() =>
        importDoc({
          source: { document: petstoreDocument() },
          baseUrl: `${upstream.url}/v2`,
          prefix: 'mine_',
          include: ['getInventory', 'getOrderById'],
        }),
      );
      expect(status).toBe(201);
      expect(body.created.map((c: Json) => c.name)).toEqual(['mine_getOrderById']);
      expect(body.skipped.find((s: Json) => s.operationId === 'getInventory').reason).toMatch(
        /already exists on server_b and was not imported from this source/,
      );
      expect((await http<Json>('GET', `${x.b}/tools/mine_getInventory`)).body.openapi).toBeNull();
    });
  });

  describe('an OpenAPI 3.1 document and a large real-world one', () => {
    it('imports ReadMe API 3.1 and calls an operation with its path and query', async () => {
      const { status, body } = await heardBoth(() =>
        importDoc({
          source: { document: fixture('readme-3.1.json') },
          baseUrl: `${upstream.url}/readme`,
          prefix: 'readme_',
        }),
      );
      expect(status).toBe(201);
      expect(body.openapi).toBe('3.1.0');
      expect(body.created.length + body.skipped.length).toBe(body.operations);
      expect(body.created.length).toBeGreaterThan(40);
      const tool = await http<Json>('GET', `${x.b}/tools/readme_getAPIs`);
      expect(tool.body.openapi).toMatchObject({ method: 'GET', path: '/branches/{branch}/apis' });
      await call('readme_getAPIs', { branch: 'v1.0/stable' });
      expect(lastRequest()).toMatchObject({
        method: 'GET',
        path: '/readme/branches/v1.0%2Fstable/apis',
      });
    });

    it('imports GitHub Enterprise Server 2.18 (509 operations, deep $refs) in one go', async () => {
      const document = fixture('github-ghes-2.18.json');
      const { status, body } = await heardBoth(() =>
        importDoc({
          source: { document },
          baseUrl: `${upstream.url}/github`,
          prefix: 'gh_',
        }),
      );
      expect(status).toBe(201);
      expect(body.operations).toBe(509);
      expect(body.created.length).toBeGreaterThan(500);
      expect(body.created.length + body.skipped.length).toBe(509);
      for (const s of body.skipped) expect(s.reason).toEqual(expect.any(String));
      const [{ count }] = await sql<{ count: string }>(
        databaseUrl,
        "SELECT COUNT(*) AS count FROM tools WHERE import_prefix = 'gh_'",
      );
      expect(Number(count)).toBe(body.created.length);
      // A $ref several levels deep, resolved: a repository's owner is a user object.
      const repo = await http<Json>('GET', `${y.b}/tools/gh_repos_get`);
      expect(repo.body.outputSchema.properties.owner.properties.login).toMatchObject({
        type: 'string',
      });
    });
  });

  describe('refusals: 400 with the reason, nothing imported', () => {
    let before: number;
    beforeAll(async () => {
      before = (await importedRows()).length;
    });
    afterEach(async () => {
      expect((await importedRows()).length).toBe(before);
    });

    const refused = async (body: Record<string, unknown>, reason: string) => {
      const answer = await importDoc(body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'OPENAPI_DOCUMENT_REFUSED',
        details: { reason },
      });
      return answer.body;
    };
    const minimal = (extra: Record<string, unknown>) => ({
      openapi: '3.0.3',
      info: { title: 'Bad', version: '1' },
      servers: [{ url: `${upstream.url}/v2` }],
      ...extra,
    });

    it('a document that is not OpenAPI', async () => {
      const body = await refused({ source: { document: { hello: 'world' } } }, 'not-openapi');
      expect(body.message).toMatch(/not OpenAPI 3\.0 or 3\.1/);
    });

    it('a Swagger 2.0 document, naming the version', async () => {
      const body = await refused(
        { source: { document: { swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} } } },
        'not-openapi',
      );
      expect(body.message).toMatch(/Swagger 2\.0 is not supported/);
    });

    it('an invalid document', async () => {
      const body = await refused(
        {
          source: {
            document: minimal({
              paths: { '/a': { get: { parameters: [{ name: 'x' }], responses: {} } } },
            }),
          },
        },
        'invalid',
      );
      expect(body.message).toMatch(/not a valid OpenAPI 3\.0\.3 document/);
    });

    it('an unresolvable $ref', async () => {
      const body = await refused(
        {
          source: {
            document: minimal({
              paths: {
                '/a': {
                  get: {
                    responses: {
                      200: {
                        description: 'ok',
                        content: {
                          'application/json': { schema: { $ref: '#/components/schemas/Nope' } },
                        },
                      },
                    },
                  },
                },
              },
            }),
          },
        },
        'unresolvable-ref',
      );
      expect(body.message).toContain('#/components/schemas/Nope');
      expect(body.message).not.toContain(process.cwd());
    });

    it('a $ref to another file, which is never fetched', async () => {
      await refused(
        {
          source: {
            document: minimal({
              paths: {
                '/a': {
                  get: {
                    responses: {
                      200: {
                        description: 'ok',
                        content: { 'application/json': { schema: { $ref: 'other.json#/X' } } },
                      },
                    },
                  },
                },
              },
            }),
          },
        },
        'unresolvable-ref',
      );
    });

    it('a circular $ref', async () => {
      const body = await refused(
        {
          source: {
            document: minimal({
              paths: {
                '/node': {
                  get: {
                    responses: {
                      200: {
                        description: 'ok',
                        content: {
                          'application/json': { schema: { $ref: '#/components/schemas/Node' } },
                        },
                      },
                    },
                  },
                },
              },
              components: {
                schemas: {
                  Node: {
                    type: 'object',
                    properties: { next: { $ref: '#/components/schemas/Node' } },
                  },
                },
              },
            }),
          },
        },
        'circular-ref',
      );
      expect(body.message).toContain('#/components/schemas/Node');
    });

    it('more operations than OPENAPI_MAX_OPERATIONS', async () => {
      const paths = Object.fromEntries(
        Array.from({ length: 601 }, (_, i) => [
          `/item${i}`,
          { get: { operationId: `item${i}`, responses: { 200: { description: 'ok' } } } },
        ]),
      );
      const body = await refused(
        { source: { document: minimal({ paths }) } },
        'too-many-operations',
      );
      expect(body.details).toMatchObject({ operations: 601, maxOperations: 600 });
    });

    it('a document larger than OPENAPI_MAX_DOCUMENT_BYTES', async () => {
      const document = minimal({
        paths: {},
        info: { title: 'Big', version: '1', description: 'x'.repeat(3_000_001) },
      });
      const body = await refused({ source: { document } }, 'too-large');
      expect(body.details).toMatchObject({ maxDocumentBytes: 3_000_000 });
    });

    it('a body far above the document limit, before it is read (413)', async () => {
      const answer = await importDoc({
        source: { document: { openapi: '3.0.3', pad: 'x'.repeat(3_200_000) } },
      });
      expect(answer.status).toBe(413);
      expect(answer.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a document URL that does not answer with a document', async () => {
      await refused({ source: { url: `${upstream.url}/nothing-here` } }, 'unreachable');
    });

    it('a document without an absolute server URL, and no baseUrl', async () => {
      const document = minimal({
        servers: [{ url: '/relative' }],
        paths: { '/a': { get: { responses: { 200: { description: 'ok' } } } } },
      });
      await refused({ source: { document } }, 'no-base-url');
    });

    it('a source with both url and document, or neither', async () => {
      for (const source of [{}, { url: `${upstream.url}/openapi.json`, document: {} }]) {
        const { status, body } = await importDoc({ source });
        expect(status).toBe(400);
        expect(body).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'source' } });
      }
    });

    it('a document that is not a JSON object (text, an array, null)', async () => {
      for (const document of ['openapi: 3.0.3', [minimal({})], null]) {
        const { status, body } = await importDoc({ source: { document } });
        expect(status).toBe(400);
        expect(body).toMatchObject({
          code: 'INVALID_REQUEST',
          message: 'source.document must be a JSON object',
          details: [{ field: 'source.document' }],
        });
      }
    });

    it('a credential header given in clear instead of as a ${ENV} reference', async () => {
      const { status, body } = await importDoc({
        source: { document: petstoreDocument() },
        baseUrl: `${upstream.url}/v2`,
        headers: { Authorization: 'Bearer plain-secret' },
      });
      expect(status).toBe(400);
      expect(body.details).toMatchObject({ field: 'headers.Authorization' });
    });
  });

  describe('the SSRF guard and HTTP_TOOL_ALLOWED_HOSTS', () => {
    const refusedHost = async (body: Record<string, unknown>, rule: string) => {
      const before = (await importedRows()).length;
      const { status, body: answer } = await importDoc(body);
      expect(status).toBe(400);
      expect(answer).toMatchObject({ code: 'HTTP_TOOL_HOST_REFUSED', details: { rule } });
      expect((await importedRows()).length).toBe(before);
      return answer;
    };

    it('refuses a document URL on a metadata address, reading nothing', async () => {
      const answer = await refusedHost(
        { source: { url: 'http://169.254.169.254/openapi.json' } },
        'metadata',
      );
      expect(answer.message).toMatch(/^source\.url refused/);
    });

    it('refuses a document URL whose host is not allowed', async () => {
      await refusedHost({ source: { url: 'http://127.0.0.2:9/openapi.json' } }, 'not-allowed');
    });

    it('refuses a baseUrl whose host is not allowed', async () => {
      const answer = await refusedHost(
        { source: { document: petstoreDocument() }, baseUrl: 'http://localhost:1/v2' },
        'not-allowed',
      );
      expect(answer.message).toMatch(/^baseUrl refused/);
    });

    it("refuses the document's own server when it is not allowed", async () => {
      // The Petstore document names http://petstore.swagger.io/v2.
      await refusedHost({ source: { document: petstoreDocument() } }, 'not-allowed');
    });
  });

  it('reads a YAML document from its URL', async () => {
    const { status, body } = await importDoc({
      source: { url: `${upstream.url}/openapi.yaml` },
      baseUrl: `${upstream.url}/v2`,
      prefix: 'yaml_',
      dryRun: true,
    });
    expect(status).toBe(200);
    expect(body.created.length).toBeGreaterThan(10);
  });
});
