import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { findProjectDir, loadConfig, loadDotEnv, maskUrl } from './environment.js';
import { ConfigError } from './validate-environment.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./.data');
    expect(config.embeddedDbPort).toBe(54329);
    expect(config.logLevel).toBe('info');
    expect(config.openapi).toEqual({ maxOperations: 1000, maxDocumentBytes: 5 * 1024 * 1024 });
  });

  it('reads the OpenAPI import limits', () => {
    const config = loadConfig({
      OPENAPI_MAX_OPERATIONS: '50',
      OPENAPI_MAX_DOCUMENT_BYTES: '65536',
    });
    expect(config.openapi).toEqual({ maxOperations: 50, maxDocumentBytes: 65536 });
  });

  it('reads and converts the variables it is given', () => {
    const config = loadConfig({
      EMBEDDED_DB_PORT: '5433',
      DEBUG: 'true',
      DATABASE_URL: 'postgresql://u:p@db:5432/mcp',
    });
    expect(config.embeddedDbPort).toBe(5433);
    expect(config.debug).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/mcp');
  });

  it.each([
    ['EMBEDDED_DB_PORT', 'abc'],
    ['EMBEDDED_DB_PORT', '70000'],
    ['DEBUG', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['MCP_ALLOWED_HOSTS', 'has space'],
    ['DATABASE_URL', 'mysql://x'],
    ['OPENAPI_MAX_OPERATIONS', '0'],
    ['OPENAPI_MAX_OPERATIONS', 'many'],
    ['OPENAPI_MAX_DOCUMENT_BYTES', '10'],
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
      OTEL_SERVICE_NAME: 'mcp-tools',
    }).tracing;
    expect(tracing?.tracesUrl).toBe('https://collector.example.com/otlp/v1/traces');
    expect(tracing?.serviceName).toBe('mcp-tools');
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
    expect(loadConfig({}).httpTools.secrets.problem('OTEL_EXPORTER_OTLP_HEADERS')).toBe(
      "is one of the servers' own settings",
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

describe('the project directory', () => {
  let project: string;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'project-dir-'));
    writeFileSync(join(project, 'package.json'), '{}');
    mkdirSync(join(project, 'dist/apps/server-a/src'), { recursive: true });
  });

  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('is found from a module deep inside it, given as a file URL or a path', () => {
    const entry = join(project, 'dist/apps/server-a/src/main.js');
    expect(findProjectDir(pathToFileURL(entry).href)).toBe(project);
    expect(findProjectDir(entry)).toBe(project);
  });

  // process.loadEnvFile writes the real process.env, which Jest's sandbox does not show: the
  // stdio e2e test proves .env is read from the project (test/mcp-stdio.e2e-spec.ts).
  it('minds no missing .env', () => {
    expect(() => loadDotEnv(join(project, 'dist'))).not.toThrow();
  });
});
