import type { OpenApiDocument } from './openapi.types.js';
import { type ImportedTool, operationsOf, toolNameOf, toolOf } from './openapi-tools.js';

function doc(paths: Record<string, unknown>, openapi = '3.0.3'): OpenApiDocument {
  return { openapi, info: { title: 'T', version: '1' }, paths } as OpenApiDocument;
}

function only(document: OpenApiDocument, prefix = '') {
  const [entry] = operationsOf(document);
  return toolOf(entry, prefix, document.openapi.startsWith('3.0'));
}

/** The tool an operation became; fails the test with the reason when it was skipped. */
function imported(result: ImportedTool | { reason: string }): ImportedTool {
  if ('reason' in result) throw new Error(`skipped: ${result.reason}`);
  return result;
}

const ok = { 200: { description: 'ok' } };

describe('operations as tools', () => {
  it('names a tool prefix + operationId, other characters as _', () => {
    expect(toolNameOf('gh_', 'repos/get')).toBe('gh_repos_get');
    expect(toolNameOf('', 'a b:c')).toBe('a_b_c');
  });

  it('makes an id from the method and path for an operation without one', () => {
    const [entry] = operationsOf(doc({ '/pet/{petId}/photos': { get: { responses: ok } } }));
    expect(entry.ref.operationId).toBe('get_pet_petId_photos');
  });

  it('lets operation parameters override the path item parameter of the same name', () => {
    const tool = only(
      doc({
        '/p/{id}': {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'q', in: 'query', schema: { type: 'string' } },
          ],
          get: {
            operationId: 'x',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
            responses: ok,
          },
        },
      }),
    );
    expect(tool).toMatchObject({
      inputSchema: {
        properties: { id: { type: 'integer' }, q: { type: 'string' } },
        required: ['id'],
      },
      request: {
        parameters: [
          { name: 'q', in: 'query', style: 'form', explode: true },
          { name: 'id', in: 'path', style: 'simple', explode: false },
        ],
      },
    });
  });

  it('nests the body under `body` when a property collides with a parameter', () => {
    const tool = only(
      doc({
        '/u/{name}': {
          put: {
            operationId: 'rename',
            parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { name: { type: 'string' } } },
                },
              },
            },
            responses: ok,
          },
        },
      }),
    );
    expect(tool).toMatchObject({
      inputSchema: { required: ['name', 'body'], properties: { body: { type: 'object' } } },
      request: { body: { argument: 'body' } },
      annotations: { idempotentHint: true, readOnlyHint: false },
    });
  });

  it('nests a body that is not an object (an array)', () => {
    const tool = only(
      doc({
        '/pets': {
          post: {
            operationId: 'addMany',
            requestBody: {
              content: {
                'application/json': { schema: { type: 'array', items: { type: 'string' } } },
              },
            },
            responses: ok,
          },
        },
      }),
    );
    expect(tool).toMatchObject({ request: { body: { argument: 'body' } } });
    expect(imported(tool).inputSchema.required).toBeUndefined();
  });

  it('ignores Accept, Content-Type and Authorization header parameters, as OpenAPI says', () => {
    const tool = only(
      doc({
        '/a': {
          get: {
            operationId: 'a',
            parameters: [
              { name: 'Accept', in: 'header', required: true, schema: { type: 'string' } },
            ],
            responses: ok,
          },
        },
      }),
    );
    expect(Object.keys(imported(tool).inputSchema.properties as object)).toEqual(['operation']);
  });

  it.each([
    [
      'a required cookie parameter',
      { parameters: [{ name: 's', in: 'cookie', required: true, schema: { type: 'string' } }] },
      /cookie parameter 's' cannot be sent/,
    ],
    [
      'a form body',
      { requestBody: { content: { 'application/x-www-form-urlencoded': { schema: {} } } } },
      /request body is not JSON \(application\/x-www-form-urlencoded\)/,
    ],
    [
      "a parameter named like the platform's `operation`",
      { parameters: [{ name: 'operation', in: 'query', schema: { type: 'string' } }] },
      /collides/,
    ],
  ])('skips an operation with %s, saying why', (_what, operation, reason) => {
    const tool = only(doc({ '/a': { post: { operationId: 'a', responses: ok, ...operation } } }));
    expect(tool).toEqual({ reason: expect.stringMatching(reason) });
  });

  it('skips HEAD, OPTIONS and TRACE operations', () => {
    expect(only(doc({ '/a': { head: { operationId: 'h', responses: ok } } }))).toEqual({
      reason: 'HEAD operations are not supported',
    });
  });

  it('takes the output schema from the first 2xx JSON response, only when it is an object', () => {
    const response = (schema: unknown) => ({
      '/a': {
        get: {
          operationId: 'a',
          responses: {
            '404': { content: { 'application/json': { schema: { type: 'object' } } } },
            '201': { content: { 'application/problem+json': { schema } } },
          },
        },
      },
    });
    const object = { type: 'object', properties: { id: { type: 'integer', nullable: true } } };
    expect(only(doc(response(object)))).toMatchObject({
      outputSchema: { type: 'object', properties: { id: { type: ['integer', 'null'] } } },
    });
    expect(only(doc(response({ type: 'array', items: {} })))).toMatchObject({ outputSchema: null });
  });

  it('describes the tool from its summary and description, clipped to 4000 characters', () => {
    const tool = imported(
      only(
        doc({
          '/a': {
            get: {
              operationId: 'a',
              summary: 'Short',
              description: 'x'.repeat(5000),
              responses: ok,
            },
          },
        }),
      ),
    );
    expect(tool.title).toBe('Short');
    expect(tool.description).toHaveLength(4000);
    expect(tool.description.startsWith('Short\n\nxxx')).toBe(true);
  });
});
