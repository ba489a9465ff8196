import { InvalidArgumentsError } from '../../../core/src/errors/platform-errors.js';
import {
  compileArgumentValidator,
  lazyArgumentValidator,
  schemaProblem,
} from './argument-validator.js';

const schema = {
  type: 'object',
  properties: {
    operation: { type: 'string', enum: ['execute'], default: 'execute' },
    symbol: { type: 'string' },
    holdings: {
      type: 'array',
      items: { type: 'object', properties: { quantity: { type: 'number' } } },
    },
  },
  required: ['symbol'],
  additionalProperties: false,
};

function problem(fn: () => void): InvalidArgumentsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidArgumentsError) return err;
    throw err;
  }
  throw new Error('expected InvalidArgumentsError');
}

describe('compileArgumentValidator', () => {
  const validate = compileArgumentValidator(schema);

  it('accepts valid arguments and fills in defaults', () => {
    const args: Record<string, unknown> = { symbol: 'AAPL' };
    validate(args);
    expect(args.operation).toBe('execute');
  });

  it('names a missing required field', () => {
    expect(problem(() => validate({})).message).toBe('arguments.symbol is required');
  });

  it('names a field of the wrong type, nested paths included', () => {
    expect(problem(() => validate({ symbol: 1 })).message).toContain(
      'arguments.symbol must be string',
    );
    const nested = problem(() => validate({ symbol: 'A', holdings: [{ quantity: 'x' }] }));
    expect(nested.message).toContain('arguments.holdings.0.quantity must be number');
  });

  it('names an unknown field and lists the allowed values of an enum', () => {
    expect(problem(() => validate({ symbol: 'A', extra: 1 })).message).toContain(
      'arguments.extra is not a known parameter',
    );
    expect(problem(() => validate({ symbol: 'A', operation: 'drop' })).message).toContain(
      '"execute"',
    );
  });

  it('reports problems as a 400 with field details', () => {
    const err = problem(() => validate({}));
    expect(err.status).toBe(400);
    expect(err.details).toEqual([
      { field: 'arguments.symbol', message: 'arguments.symbol is required' },
    ]);
  });
});

describe('lazyArgumentValidator', () => {
  it('compiles nothing until the first call, then validates like the eager one', () => {
    // A schema Ajv cannot compile shows when compilation happens.
    const broken = lazyArgumentValidator({ type: 'no-such-type' });
    expect(() => broken({})).toThrow(/schema is invalid/);
    const validate = lazyArgumentValidator(schema);
    expect(() => validate({ symbol: 'AAPL' })).not.toThrow();
    expect(problem(() => validate({})).message).toContain('arguments.symbol is required');
  });

  it('compiles each version of a schema separately and keeps working after Ajv forgets it', () => {
    const a = compileArgumentValidator({ ...schema });
    const b = compileArgumentValidator({ ...schema });
    expect(() => a({ symbol: 'X' })).not.toThrow();
    expect(() => b({ symbol: 1 })).toThrow(InvalidArgumentsError);
  });
});

describe('schemaProblem', () => {
  it('accepts a valid schema and explains an invalid one', () => {
    expect(schemaProblem(schema)).toBeUndefined();
    expect(schemaProblem({ type: 'nonsense' })).toMatch(/type/);
  });
});
