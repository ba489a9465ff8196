import { ConfigError, loadConfig, readToolSecret, toolSecretProblem } from './environment.js';

describe('HTTP tool settings', () => {
  it('defaults to no allowed hosts, a 1 MiB response cap and 30 days of audit', () => {
    const config = loadConfig({});
    expect(config.httpTools).toEqual({ allowedHosts: [], maxResponseBytes: 1048576 });
    expect(config.audit.retentionDays).toBe(30);
  });

  it('stops start-up on a bad HTTP_TOOL_ALLOWED_HOSTS entry, naming the variable', () => {
    expect(() => loadConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'ok.example, not a host' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'x:0' })).toThrow(/HTTP_TOOL_ALLOWED_HOSTS/);
  });

  it.each(['DATABASE_URL', 'ADMIN_API_KEY', 'API_KEYS', 'HTTP_TOOL_ALLOWED_HOSTS'])(
    "never lets a tool read the platform's own %s",
    (name) => {
      expect(toolSecretProblem(name)).toContain("platform's own");
      expect(readToolSecret(name, { [name]: 'x' })).toBeUndefined();
    },
  );

  it('reads any other upper-case variable at call time', () => {
    expect(readToolSecret('MY_TOKEN', { MY_TOKEN: 'abc' })).toBe('abc');
    expect(toolSecretProblem('lower_case')).toBeDefined();
  });
});
