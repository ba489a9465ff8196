import { OpenApiDocumentError } from '@app/core';
import { loadOpenApiDocument, parseDocumentText } from './openapi-document.js';

const base = { openapi: '3.1.0', info: { title: 'T', version: '1' } };

async function reasonOf(raw: unknown, max = 100): Promise<unknown> {
  try {
    await loadOpenApiDocument(raw, max);
  } catch (err) {
    expect(err).toBeInstanceOf(OpenApiDocumentError);
    return ((err as OpenApiDocumentError).details as { reason: string }).reason;
  }
  return 'loaded';
}

describe('loadOpenApiDocument', () => {
  it('resolves $refs of a 3.1 document and says it is not 3.0', async () => {
    const loaded = await loadOpenApiDocument(
      {
        ...base,
        paths: {
          '/a': {
            get: {
              responses: {
                200: {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
                },
              },
            },
          },
        },
        components: { schemas: { A: { type: 'object' } } },
      },
      10,
    );
    expect(loaded.openapi30).toBe(false);
    expect(loaded.operations).toBe(1);
    expect(JSON.stringify(loaded.document)).not.toContain('$ref');
  });

  it('refuses what is not OpenAPI 3.0/3.1, naming the reason', async () => {
    expect(await reasonOf([1, 2])).toBe('not-openapi');
    expect(await reasonOf({ openapi: '4.0.0' })).toBe('not-openapi');
    expect(await reasonOf({ swagger: '2.0' })).toBe('not-openapi');
  });

  it('counts operations before validating anything', async () => {
    const paths = { '/a': { get: {}, post: {} }, '/b': { delete: {} } };
    expect(await reasonOf({ ...base, paths }, 2)).toBe('too-many-operations');
  });

  it('does not leave a document it was given changed', async () => {
    const raw = {
      ...base,
      paths: { '/a': { get: { responses: { 200: { $ref: '#/components/responses/Ok' } } } } },
      components: { responses: { Ok: { description: 'ok' } } },
    };
    const copy = structuredClone(raw);
    await loadOpenApiDocument(raw, 1);
    expect(raw).toEqual(copy);
  });
});

describe('parseDocumentText', () => {
  it('reads JSON and YAML', () => {
    expect(parseDocumentText('{"openapi":"3.1.0"}')).toEqual({ openapi: '3.1.0' });
    expect(parseDocumentText('openapi: 3.1.0\ninfo:\n  title: T\n')).toEqual({
      openapi: '3.1.0',
      info: { title: 'T' },
    });
  });

  it('refuses text that is neither', () => {
    expect(() => parseDocumentText('{not json')).toThrow(OpenApiDocumentError);
    expect(() => parseDocumentText('a: [unclosed')).toThrow(OpenApiDocumentError);
  });
});
