import { parametersToSchema, schemaToParameters, withOperation } from './schema.js';

describe('parametersToSchema', () => {
  it('turns the parameter list into a closed JSON Schema with the platform operation', () => {
    const schema = parametersToSchema([
      { name: 'city', type: 'string', description: 'Where', required: true },
      { name: 'days', type: 'integer', description: 'How many', required: false },
    ]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        operation: expect.objectContaining({ enum: ['execute'], default: 'execute' }),
        city: { type: 'string', description: 'Where' },
        days: { type: 'integer', description: 'How many' },
      },
      required: ['city'],
      additionalProperties: false,
    });
  });

  it('omits `required` when nothing is required', () => {
    expect(parametersToSchema([])).not.toHaveProperty('required');
  });
});

describe('schemaToParameters', () => {
  it('lists the top-level properties with their type and whether they are required', () => {
    const params = schemaToParameters({
      type: 'object',
      properties: {
        symbol: { type: 'string', description: 'Ticker' },
        units: { enum: ['metric', 'imperial'] },
        maybe: { type: ['number', 'null'] },
      },
      required: ['symbol'],
    });
    expect(params).toEqual([
      { name: 'symbol', type: 'string', description: 'Ticker', required: true },
      { name: 'units', type: 'string', description: '', required: false },
      { name: 'maybe', type: 'number', description: '', required: false },
    ]);
  });
});

describe('withOperation', () => {
  it('adds the default operation to a schema that has none', () => {
    const schema = withOperation({ type: 'object', properties: { a: { type: 'string' } } });
    expect(Object.keys(schema.properties as object)).toEqual(['operation', 'a']);
  });

  it("keeps a tool's own operation property", () => {
    const own = { type: 'object', properties: { operation: { enum: ['stats', 'sort'] } } };
    expect(withOperation(own)).toBe(own);
  });
});
