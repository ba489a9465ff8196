import { loadConfig, PLATFORM_VARIABLES } from './environment.js';
import { ToolSecrets } from './tool-secrets.js';
import { ConfigError } from './validate-environment.js';

describe('HTTP tool settings', () => {
  it('defaults to no allowed hosts, a 1 MiB response cap and 30 days of audit', () => {
    const config = loadConfig({});
    expect(config.httpTools).toMatchObject({ allowedHosts: [], maxResponseBytes: 1048576 });
    expect(config.audit.retentionDays).toBe(30);
  });

  it('stops start-up on a bad HTTP_TOOL_ALLOWED_HOSTS entry, naming the variable', () => {
    expect(() => loadConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'ok.example, not a host' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'x:0' })).toThrow(/HTTP_TOOL_ALLOWED_HOSTS/);
  });
});

describe('the secrets HTTP tools may read', () => {
  const env = { DATABASE_URL: 'x', ADMIN_API_KEY: 'x', MY_TOKEN: 'abc', PORT_Z: '1' };

  it.each(['DATABASE_URL', 'ADMIN_API_KEY', 'API_KEYS', 'HTTP_TOOL_ALLOWED_HOSTS'])(
    "never lets a tool read the platform's own %s",
    (name) => {
      const secrets = loadConfig({}).httpTools.secrets;
      expect(secrets.problem(name)).toContain("servers' own");
      expect(new ToolSecrets(PLATFORM_VARIABLES, env).read(name)).toBeUndefined();
    },
  );

  it('protects the variables the started servers declare too', () => {
    const secrets = loadConfig({}, ['PORT_Z']).httpTools.secrets;
    expect(secrets.problem('PORT_Z')).toContain("servers' own");
    expect(loadConfig({}).httpTools.secrets.problem('PORT_Z')).toBeUndefined();
    expect(new ToolSecrets(['PORT_Z'], env).read('PORT_Z')).toBeUndefined();
  });

  it('reads any other upper-case variable at call time', () => {
    const live: Record<string, string> = {};
    const secrets = new ToolSecrets(PLATFORM_VARIABLES, live);
    expect(secrets.read('MY_TOKEN')).toBeUndefined();
    live.MY_TOKEN = 'abc';
    expect(secrets.read('MY_TOKEN')).toBe('abc');
    expect(secrets.problem('lower_case')).toBeDefined();
  });
});
