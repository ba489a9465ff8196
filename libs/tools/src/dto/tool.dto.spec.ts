import { InvalidRequestError } from '@app/core';
import { validationPipe } from '@app/http';
import { RegisterToolDto, UpdateToolDto } from './tool.dto.js';

/** The message the global validation pipe answers for `body` as a `metatype` body. */
async function refusal(metatype: typeof RegisterToolDto | typeof UpdateToolDto, body: unknown) {
  try {
    await validationPipe().transform(body, { type: 'body', metatype });
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    return (err as InvalidRequestError).message;
  }
  throw new Error('accepted');
}

describe('the register and update bodies', () => {
  it('tells an empty register form that name and description are required', async () => {
    const message = await refusal(RegisterToolDto, {});
    expect(message).toContain('name is required');
    expect(message).toContain('description is required');
    expect(message).not.toMatch(/must match/);
  });

  it('names the pattern in words when the name has characters a tool name may not have', async () => {
    expect(await refusal(RegisterToolDto, { name: 'my tool', description: 'x' })).toBe(
      'name must be 1 to 128 letters, digits, _ . or - (^[A-Za-z0-9_.-]{1,128}$)',
    );
  });

  it.each([RegisterToolDto, UpdateToolDto])(
    'says that parameters is a list, not a JSON Schema object (%p)',
    async (dto) => {
      const message = await refusal(dto, {
        description: 'Looks up',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      });
      expect(message).toContain('parameters must be a list of {name, type, description, required}');
      expect(message).toContain('a JSON Schema object is not accepted here');
      expect(message).not.toContain('100');
    },
  );

  it('still counts the parameters of a list', async () => {
    const parameters = Array.from({ length: 101 }, (_, i) => ({ name: `p${i}`, type: 'string' }));
    expect(await refusal(RegisterToolDto, { name: 'x', description: 'x', parameters })).toBe(
      'parameters must have at most 100 entries',
    );
  });
});
