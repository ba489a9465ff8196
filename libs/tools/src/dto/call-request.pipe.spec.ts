import { InvalidRequestError } from '../../../core/src/errors/platform-errors.js';
import { CallRequestPipe } from './call-request.pipe.js';

const pipe = new CallRequestPipe();

function refusal(body: unknown): InvalidRequestError {
  try {
    pipe.transform(body);
  } catch (err) {
    if (err instanceof InvalidRequestError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

describe('CallRequestPipe', () => {
  it('passes the parsed arguments through without copying them', () => {
    const args = { operation: 'stats', data: [1, 2, 3] };
    const request = pipe.transform({ name: 'data_processor', arguments: args });
    expect(request.name).toBe('data_processor');
    expect(request.arguments).toBe(args);
  });

  it('defaults missing arguments to an empty object', () => {
    expect(pipe.transform({ name: 'get_time' })).toEqual({ name: 'get_time', arguments: {} });
  });

  it.each([
    ['no body', undefined, 'The request body must be a JSON object'],
    ['an array body', [{ name: 'x' }], 'The request body must be a JSON object'],
    ['a string body', 'get_time', 'The request body must be a JSON object'],
    ['no name', { arguments: {} }, 'name must be a string naming the tool'],
    ['a numeric name', { name: 42 }, 'name must be a string'],
    ['an empty name', { name: '' }, 'name should not be empty'],
    ['a name of 129 characters', { name: 'x'.repeat(129) }, 'shorter than or equal to 128'],
    ['array arguments', { name: 'x', arguments: [1] }, 'arguments must be a JSON object'],
    ['null arguments', { name: 'x', arguments: null }, 'arguments must be a JSON object'],
    ['string arguments', { name: 'x', arguments: '{}' }, 'arguments must be a JSON object'],
    ['an unknown field', { name: 'x', extra: 1 }, 'property extra should not exist'],
    ['a __proto__ field', JSON.parse('{"name":"x","__proto__":{"a":1}}'), '__proto__'],
  ])('refuses %s with INVALID_REQUEST naming the field', (_label, body, message) => {
    const err = refusal(body);
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain(message);
  });
});
