import { ConfigError } from '@app/core';
import { serverConfig } from './server.config.js';

describe("Server B's settings", () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(serverConfig({})).toEqual({ id: 'server_b', host: '127.0.0.1', port: 3002 });
  });

  it('reads its port, id and host', () => {
    expect(
      serverConfig({ PORT_B: '4001', SERVER_B_NAME: 'utility', SERVER_B_HOST: '0.0.0.0' }),
    ).toEqual({ id: 'utility', host: '0.0.0.0', port: 4001 });
  });

  it.each([
    ['PORT_B', 'abc', 'must be an integer number'],
    ['PORT_B', '70000', 'must not be greater than 65535'],
    ['SERVER_B_NAME', 'has space', 'must match'],
    ['SERVER_B_HOST', 'a/b', 'must be a host name or IP address'],
  ])('rejects %s=%s with an error naming the variable', (name, value, why) => {
    expect(() => serverConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => serverConfig({ [name]: value })).toThrow(new RegExp(`${name}="?${value}"?: `));
    expect(() => serverConfig({ [name]: value })).toThrow(why);
  });

  it("ignores Server A's variables", () => {
    expect(serverConfig({ PORT_A: '9', SERVER_A_NAME: 'x' }).port).toBe(3002);
  });
});
