import { accessFor } from './access-policy.js';
import { isLoopback } from './auth.middleware.js';

describe('accessFor', () => {
  it.each([
    ['GET', '/health', 'open'],
    ['GET', '/tools', 'open'],
    ['GET', '/info', 'open'],
    ['OPTIONS', '/mcp', 'open'],
    ['POST', '/tools/call', 'caller'],
    ['POST', '/TOOLS/Call/', 'caller'],
    ['POST', '/mcp', 'caller'],
    ['GET', '/mcp', 'caller'],
    ['DELETE', '/mcp', 'caller'],
    ['GET', '/docs', 'docs'],
    ['GET', '/docs-json', 'docs'],
    ['POST', '/tools', 'admin'],
    ['POST', '/Tools//', 'admin'],
    ['PATCH', '/tools/x', 'admin'],
    ['DELETE', '/tools/x', 'admin'],
    ['PUT', '/tools', 'admin'],
    ['PROPFIND', '/tools', 'admin'],
    ['POST', '/tools/%63all', 'admin'],
    ['POST', '/health', 'admin'],
  ])('%s %s needs %s', (method, path, expected) => {
    expect(accessFor(method, path)).toBe(expected);
  });
});

describe('isLoopback', () => {
  it('accepts only this machine, in IPv4, IPv6 and mapped forms', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['192.0.2.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
