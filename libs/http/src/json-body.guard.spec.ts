import { PlatformError } from '@app/core';
import { fromBodyParser } from './json-body.guard.js';

describe('fromBodyParser', () => {
  it.each([
    ['entity.parse.failed', 400, 'MALFORMED_JSON'],
    ['entity.too.large', 413, 'PAYLOAD_TOO_LARGE'],
    ['charset.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['encoding.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['request.aborted', 400, 'INVALID_REQUEST'],
  ])('turns body-parser %s into %i %s', (type, status, code) => {
    // As body-parser throws them: http-errors with a status; a parse failure is JSON.parse's SyntaxError.
    const thrown = type === 'entity.parse.failed' ? new SyntaxError('x') : new Error('x');
    const error = fromBodyParser(Object.assign(thrown, { type, status }));
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ status, code });
  });

  it('passes any other error on unchanged', () => {
    const other = new Error('boom');
    expect(fromBodyParser(other)).toBe(other);
  });
});
