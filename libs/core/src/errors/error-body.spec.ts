import { toErrorBody } from './error-body.js';
import { ToolConflictError, UpstreamTimeoutError } from './platform-errors.js';

describe('toErrorBody', () => {
  it('keeps the status, code, message and details of a platform error', () => {
    const body = toErrorBody(new ToolConflictError('x', 'server_a'), '/tools');
    expect(body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      code: 'TOOL_ALREADY_EXISTS',
      details: { tool: 'x', server: 'server_a' },
      path: '/tools',
    });
    expect(toErrorBody(new UpstreamTimeoutError('slow')).statusCode).toBe(504);
  });

  it('turns an unexpected error into a 500 without leaking its message', () => {
    const body = toErrorBody(new Error('password=hunter2 at db.internal'));
    expect(body).toMatchObject({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
