import { isObjectSchema, SchemaTooLargeError, toJsonSchema } from './openapi-schema.js';

describe('toJsonSchema', () => {
  it('turns OpenAPI 3.0 nullable and boolean exclusive bounds into JSON Schema 2020-12', () => {
    const schema = toJsonSchema(
      {
        type: 'object',
        properties: {
          name: { type: 'string', nullable: true, example: 'Rex' },
          size: { type: 'string', enum: ['S', 'L'], nullable: true },
          weight: {
            type: 'number',
            minimum: 0,
            exclusiveMinimum: true,
            maximum: 9,
            exclusiveMaximum: false,
          },
        },
        discriminator: { propertyName: 'kind' },
        'x-internal': true,
      },
      true,
    );
    expect(schema).toEqual({
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        size: { type: ['string', 'null'], enum: ['S', 'L', null] },
        weight: { type: 'number', exclusiveMinimum: 0, maximum: 9 },
      },
    });
  });

  it('keeps 3.1 schemas as they are, and a property named like an extension', () => {
    const source = {
      type: 'object',
      properties: { 'x-id': { type: ['string', 'null'], examples: ['a'] } },
      'x-kept': 1,
    };
    expect(toJsonSchema(source, false)).toEqual(source);
    expect(toJsonSchema(source, true)).toEqual({
      type: 'object',
      properties: { 'x-id': { type: ['string', 'null'], examples: ['a'] } },
    });
  });

  it('drops a 3.0 nullable left in a 3.1 schema, which Ajv refuses without a type', () => {
    const schema = toJsonSchema(
      {
        type: 'object',
        properties: {
          schema: { nullable: true, description: 'any JSON' },
          name: { type: 'string', nullable: false },
        },
      },
      false,
    );
    expect(schema).toEqual({
      type: 'object',
      properties: { schema: { description: 'any JSON' }, name: { type: 'string' } },
    });
  });

  it('returns a fresh tree: a schema shared by two places is copied, never aliased', () => {
    const shared = { type: 'string', enum: ['a'] };
    const schema = toJsonSchema({ type: 'object', properties: { a: shared, b: shared } }, true);
    const props = schema.properties as Record<string, object>;
    expect(props.a).not.toBe(props.b);
    expect(props.a).not.toBe(shared);
  });

  it('refuses a schema that $refs would expand exponentially, instead of copying it', () => {
    // Each level refers to the next ten times: 10^8 objects once copied.
    let schema: object = { type: 'string' };
    for (let i = 0; i < 8; i++) {
      const next = schema;
      schema = {
        type: 'object',
        properties: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`p${k}`, next])),
      };
    }
    expect(() => toJsonSchema(schema, true)).toThrow(SchemaTooLargeError);
  });

  it('knows an object schema', () => {
    expect(isObjectSchema({ type: 'object' })).toBe(true);
    expect(isObjectSchema({ properties: {} })).toBe(true);
    expect(isObjectSchema({ type: 'array', items: {} })).toBe(false);
  });
});
