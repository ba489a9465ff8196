import { unknownVariables, unknownVariableWarning } from './unknown-variables.js';

const KNOWN = [
  'DATABASE_URL',
  'PORT_A',
  'PORT_B',
  'SERVER_A_NAME',
  'SERVER_A_HOST',
  'SERVER_B_NAME',
  'SERVER_B_HOST',
  'MARKET_DATA_PROVIDER',
  'NEWS_PROVIDER',
  'WEATHER_PROVIDER',
  'API_KEYS',
  'ADMIN_API_KEY',
  'LOG_LEVEL',
  'DEBUG',
  'DATA_DIR',
  'EMBEDDED_DB_PORT',
  'MAX_BODY_BYTES',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_SERVICE_NAME',
  'HTTP_TOOL_ALLOWED_HOSTS',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'RATE_LIMIT_PER_MINUTE',
  'SHUTDOWN_GRACE_MS',
];

/** The closest known name reported for each of `names` set to "x" (undefined: not reported). */
function suggestions(...names: string[]): Record<string, string | undefined> {
  const found = unknownVariables(Object.fromEntries(names.map((n) => [n, 'x'])), KNOWN);
  return Object.fromEntries(names.map((n) => [n, found.find((f) => f.name === n)?.closest]));
}

describe('unknownVariables', () => {
  it('names the variable meant by a misspelt or rearranged one of ours', () => {
    expect(
      suggestions(
        'DATBASE_URL',
        'SEVER_A_PORT',
        'SERVER_A_PORT',
        'SEVER_B_HOST',
        'MARKET_PROVIDER',
        'WEATHER_PROVIDERS',
        'API_KEY',
        'LOG_LEVL',
        'MAX_BODY_SIZE',
        'database_url',
      ),
    ).toEqual({
      DATBASE_URL: 'DATABASE_URL',
      SEVER_A_PORT: 'PORT_A',
      SERVER_A_PORT: 'PORT_A',
      SEVER_B_HOST: 'SERVER_B_HOST',
      MARKET_PROVIDER: 'MARKET_DATA_PROVIDER',
      WEATHER_PROVIDERS: 'WEATHER_PROVIDER',
      API_KEY: 'API_KEYS',
      LOG_LEVL: 'LOG_LEVEL',
      MAX_BODY_SIZE: 'MAX_BODY_BYTES',
      database_url: 'DATABASE_URL',
    });
  });

  it('leaves alone the variables of the shell, npm, CI and other programs', () => {
    const others = [
      'PATH',
      'HOME',
      'PORT',
      'NODE_ENV',
      'NODE_OPTIONS',
      'NODE_DEBUG',
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'XDG_DATA_DIRS',
      'XDG_RUNTIME_DIR',
      'PGHOST',
      'PGPORT',
      'DATABASE_HOST',
      'E2E_ADMIN_DATABASE_URL',
      'JEST_WORKER_ID',
      'KUBERNETES_SERVICE_HOST',
      'KUBERNETES_SERVICE_PORT',
      'DEBIAN_FRONTEND',
      'SSH_AUTH_SOCK',
      // read by OpenSSL and Node themselves, and one letter or word from ours (TLS_CERT_FILE)
      'SSL_CERT_FILE',
      'SSL_CERT_DIR',
      'NODE_EXTRA_CA_CERTS',
      'npm_config_cache',
      'npm_package_name',
    ];
    expect(unknownVariables(Object.fromEntries(others.map((n) => [n, 'x'])), KNOWN)).toEqual([]);
  });

  it('names the platform variable meant by one with a word more or a word changed', () => {
    expect(suggestions('SHUTDOWN_GRACE_MS_MAX', 'RATE_LIMIT_PER_MIN')).toEqual({
      SHUTDOWN_GRACE_MS_MAX: 'SHUTDOWN_GRACE_MS',
      RATE_LIMIT_PER_MIN: 'RATE_LIMIT_PER_MINUTE',
    });
  });

  it('says nothing about the variables it knows', () => {
    expect(unknownVariables({ DATABASE_URL: 'x', PORT_A: '1' }, KNOWN)).toEqual([]);
  });

  it('writes one warning per variable, naming both', () => {
    expect(unknownVariableWarning({ name: 'DATBASE_URL', closest: 'DATABASE_URL' })).toBe(
      'DATBASE_URL is set but no server reads it: did you mean DATABASE_URL?',
    );
  });
});
