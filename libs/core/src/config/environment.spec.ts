import { inspect } from 'node:util';
import { ConfigError, loadConfig, maskUrl, toolSecretProblem } from './environment.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./.data');
    expect(config.servers.a).toEqual({ id: 'server_a', host: '127.0.0.1', port: 3001 });
    expect(config.servers.b).toEqual({ id: 'server_b', host: '127.0.0.1', port: 3002 });
    expect(config.logLevel).toBe('info');
  });

  it('reads and converts the variables it is given', () => {
    const config = loadConfig({
      PORT_A: '4001',
      SERVER_B_NAME: 'utility',
      SERVER_B_HOST: '0.0.0.0',
      DEBUG: 'true',
      DATABASE_URL: 'postgresql://u:p@db:5432/mcp',
    });
    expect(config.servers.a.port).toBe(4001);
    expect(config.servers.b).toMatchObject({ id: 'utility', host: '0.0.0.0' });
    expect(config.debug).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/mcp');
  });

  it.each([
    ['PORT_A', 'abc'],
    ['PORT_B', '70000'],
    ['DEBUG', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['SERVER_A_NAME', 'has space'],
    ['DATABASE_URL', 'mysql://x'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('never repeats a database URL (and its password) in the error', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:s3cret@host/db' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
  });
});

describe('market data provider keys', () => {
  const key = 'fh-test-key-0123456789';

  it('refuses MARKET_DATA_PROVIDER=finnhub without FINNHUB_API_KEY, naming the variable', () => {
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'finnhub' })).toThrow(ConfigError);
    expect(() => loadConfig({ MARKET_DATA_PROVIDER: 'finnhub' })).toThrow(/FINNHUB_API_KEY/);
  });

  it('reads the key and base URLs, with the documented defaults', () => {
    const config = loadConfig({ MARKET_DATA_PROVIDER: 'FinnHub', FINNHUB_API_KEY: key });
    expect(config.providers.marketData).toBe('finnhub');
    expect(config.finance.finnhub.baseUrl).toBe('https://finnhub.io/api/v1');
    expect(config.finance.finnhub.apiKey?.reveal()).toBe(key);
    expect(config.finance.fxBaseUrl).toBe('https://api.frankfurter.app');
    expect(config.finance.fxCacheTtlMs).toBe(300000);
    expect(loadConfig({ FX_BASE_URL: 'http://127.0.0.1:9/' }).finance.fxBaseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('never shows the key in JSON, strings or console output of the config', () => {
    const config = loadConfig({ MARKET_DATA_PROVIDER: 'finnhub', FINNHUB_API_KEY: key });
    expect(JSON.stringify(config)).not.toContain(key);
    expect(inspect(config, { depth: null })).not.toContain(key);
    expect(`${config.finance.finnhub.apiKey?.toString()}`).toBe('(hidden)');
  });

  it('never repeats a malformed key in the error', () => {
    const bad = 'has a space s3cret';
    expect(() => loadConfig({ FINNHUB_API_KEY: bad })).toThrow(/FINNHUB_API_KEY=\(hidden\)/);
    try {
      loadConfig({ FINNHUB_API_KEY: bad });
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
  });

  it('keeps the key out of reach of HTTP tools', () => {
    expect(toolSecretProblem('FINNHUB_API_KEY')).toContain("platform's own");
  });
});

describe('tracing settings', () => {
  it('leaves tracing off when OTEL_EXPORTER_OTLP_ENDPOINT is not set', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'mcp' }).tracing).toBeUndefined();
  });

  it('appends the traces path to the endpoint, as the OTLP specification says', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).tracing).toEqual({
      tracesUrl: 'http://localhost:4318/v1/traces',
      serviceName: undefined,
      headers: undefined,
    });
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com/otlp/',
      OTEL_SERVICE_NAME: 'mcp-utility',
    }).tracing;
    expect(tracing?.tracesUrl).toBe('https://collector.example.com/otlp/v1/traces');
    expect(tracing?.serviceName).toBe('mcp-utility');
  });

  it.each(['localhost:4318', 'grpc://collector:4317', 'not a url'])(
    'stops start-up naming OTEL_EXPORTER_OTLP_ENDPOINT when it is %s',
    (value) => {
      expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: value })).toThrow(ConfigError);
      expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: value })).toThrow(
        /OTEL_EXPORTER_OTLP_ENDPOINT=.*must be an http\(s\) URL/,
      );
    },
  );

  it('keeps the collector headers hidden, and names them when malformed without showing them', () => {
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret-value',
    }).tracing;
    expect(tracing?.headers?.reveal()).toBe('x-api-key=s3cret-value');
    expect(JSON.stringify(tracing)).not.toContain('s3cret');
    expect(inspect(tracing)).not.toContain('s3cret');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 's3cret-without-a-key' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS=\(hidden\)/,
    );
  });

  it('refuses a service name with control characters', () => {
    expect(() => loadConfig({ OTEL_SERVICE_NAME: 'a\nb' })).toThrow(/OTEL_SERVICE_NAME=/);
  });

  it('keeps the collector headers out of reach of HTTP tools', () => {
    expect(toolSecretProblem('OTEL_EXPORTER_OTLP_HEADERS')).toBe(
      "is one of the platform's own settings",
    );
  });
});

describe('maskUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(maskUrl('postgres://mcp:s3cret@db.local:5432/mcp')).toBe(
      'postgres://mcp:****@db.local:5432/mcp',
    );
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskUrl('postgres://db.local/mcp')).toBe('postgres://db.local/mcp');
  });

  it('does not echo something that is not a URL', () => {
    expect(maskUrl('not a url with s3cret')).toBe('(unparseable URL)');
  });
});
