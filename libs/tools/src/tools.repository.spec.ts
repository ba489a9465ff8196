import { QueryFailedError } from 'typeorm';
import { guard } from './tools.repository.js';

/** A driver error as TypeORM wraps it, with PostgreSQL's SQLSTATE. */
function failure(code: string, message = 'refused'): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));
}

describe('guard: database failures as platform errors', () => {
  it.each([
    ['22021', 'NUL'],
    ['22P05', 'u0000'],
    ['22001', 'longer'],
    ['22P02', 'outside'],
    ['54000', 'too large'],
  ])(
    'answers SQLSTATE %s (a value the client sent) with 400 INVALID_REQUEST',
    async (code, says) => {
      await expect(guard(() => Promise.reject(failure(code)))).rejects.toMatchObject({
        status: 400,
        code: 'INVALID_REQUEST',
        details: { reason: expect.stringContaining(says) },
      });
    },
  );

  it('never shows the SQL or the driver message to the client', async () => {
    const err = await guard(() =>
      Promise.reject(failure('22021', 'invalid byte sequence in SELECT secret FROM x')),
    ).catch((e: Error) => e);
    expect(err.message).not.toContain('SELECT');
  });

  it.each(['57P01', '08006', 'ECONNREFUSED'])(
    'answers a lost database (%s) with 503 DATABASE_UNAVAILABLE',
    async (code) => {
      await expect(guard(() => Promise.reject(failure(code)))).rejects.toMatchObject({
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
      });
    },
  );

  it('passes other failures on unchanged (a bug stays a 500)', async () => {
    const bug = failure('42P01', 'relation does not exist');
    await expect(guard(() => Promise.reject(bug))).rejects.toBe(bug);
    await expect(guard(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
