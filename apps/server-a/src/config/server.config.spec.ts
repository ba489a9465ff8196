import { ConfigError } from '@app/core';
import { serverConfig } from './server.config.js';

describe("Server A's settings", () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(serverConfig({})).toEqual({ id: 'server_a', host: '127.0.0.1', port: 3001 });
  });

  it('reads its port, id and host', () => {
    expect(
      serverConfig({ PORT_A: '4001', SERVER_A_NAME: 'finance', SERVER_A_HOST: '0.0.0.0' }),
    ).toEqual({ id: 'finance', host: '0.0.0.0', port: 4001 });
  });

  it.each([
    ['PORT_A', 'abc', 'must be an integer number'],
    ['PORT_A', '70000', 'must not be greater than 65535'],
    ['SERVER_A_NAME', 'has space', 'must match'],
    ['SERVER_A_HOST', 'a/b', 'must be a host name or IP address'],
  ])('rejects %s=%s with an error naming the variable', (name, value, why) => {
    expect(() => serverConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => serverConfig({ [name]: value })).toThrow(new RegExp(`${name}="?${value}"?: `));
    expect(() => serverConfig({ [name]: value })).toThrow(why);
  });

  it("ignores Server B's variables", () => {
    expect(serverConfig({ PORT_B: '9', SERVER_B_NAME: 'x' }).port).toBe(3001);
  });
});
