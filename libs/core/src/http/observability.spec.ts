import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoLoggerService } from '../../../core/src/logging/logger.js';
import { requestIdFrom } from './node-http.js';

describe('requestIdFrom', () => {
  it('keeps a sane incoming id', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8')).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
    );
  });

  it('replaces a missing, repeated, unsafe or oversized id with a UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', ['a', 'b'], 'a b', 'x\r\ny', '<script>', 'x'.repeat(129)]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
  });
});

describe('PinoLoggerService', () => {
  function capture(level: pino.Level = 'info') {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, service: new PinoLoggerService(pino({ level }, stream)) };
  }

  it("writes Nest's context as a field and maps log to info", () => {
    const { lines, service } = capture();
    service.log('hello', 'ToolsService');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'hello', context: 'ToolsService' }),
    ]);
  });

  it('keeps the stack of an error as a field', () => {
    const { lines, service } = capture();
    service.error('boom', 'Error: boom\n    at x', 'Errors');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'boom', context: 'Errors' });
    expect(lines[0].stack).toContain('at x');
  });

  it('honours the level and demotes Nest route mapping chatter to debug', () => {
    const { lines, service } = capture('info');
    service.debug('hidden');
    service.log('Mapped {/tools, GET} route', 'RouterExplorer');
    service.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
