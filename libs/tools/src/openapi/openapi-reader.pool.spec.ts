import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ErrorCode, OpenApiDocumentError, PlatformError, type ServerRuntime } from '@app/core';
import { loadOpenApiDocument } from './openapi-document.js';
import { ReaderErrorCode } from './openapi-reader.errors.js';
import { OpenApiReaderPool, type ReaderPoolOptions } from './openapi-reader.pool.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../test/fixtures/openapi/${name}`, import.meta.url), 'utf8');
const runtime = { config: { openapi: { maxDocumentBytes: 5 * 1024 * 1024 } } } as Pick<
  ServerRuntime,
  'config'
>;
/** A worker module given as code: one that reads messages and never answers, or one that dies. */
const workerOf = (code: string) => new URL(`data:text/javascript,${encodeURIComponent(code)}`);
const SILENT = workerOf(
  "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {});",
);
const CRASHING = workerOf(
  "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));",
);

/** The error a promise rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (err) {
    return err as PlatformError;
  }
  throw new Error('expected a rejection');
}

describe('OpenApiReaderPool', () => {
  const pools: OpenApiReaderPool[] = [];
  const poolWith = (options: Partial<ReaderPoolOptions> = {}) => {
    const pool = new OpenApiReaderPool(runtime, options);
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.onApplicationShutdown()));
  });

  it('reads a document in its worker as the calling thread would', async () => {
    const text = fixture('petstore-3.0.json');
    const pool = poolWith();
    const inWorker = await pool.read({ text }, 100);
    expect(inWorker).toEqual(await loadOpenApiDocument(JSON.parse(text), 100));
    // The same worker reads the next one (an inline document).
    const again = await pool.read({ document: JSON.parse(text) }, 100);
    expect(again.operations).toBe(20);
  });

  it("refuses with the same OPENAPI_DOCUMENT_REFUSED errors as the calling thread's rules", async () => {
    const pool = poolWith();
    const swagger = await failureOf(pool.read({ document: { swagger: '2.0' } }, 10));
    expect(swagger).toBeInstanceOf(OpenApiDocumentError);
    expect(swagger.message).toBe(
      'Swagger 2.0 is not supported: convert the document to OpenAPI 3.0 or 3.1',
    );
    expect(swagger.details).toEqual({ reason: 'not-openapi', swagger: '2.0' });
    const yaml = await failureOf(pool.read({ text: 'a: [unclosed' }, 10));
    expect(yaml.details).toEqual({ reason: 'not-openapi' });
    const many = await failureOf(pool.read({ text: fixture('petstore-3.0.json') }, 5));
    expect(many.details).toEqual({
      reason: 'too-many-operations',
      operations: 20,
      maxOperations: 5,
    });
  });

  it('lets maxWaiting imports wait behind the one being read and refuses the next with 503', async () => {
    const pool = poolWith({ entry: SILENT, maxWaiting: 1 });
    const reading = failureOf(pool.read({ text: '{}' }, 10));
    const waiting = failureOf(pool.read({ text: '{}' }, 10));
    const refused = await failureOf(pool.read({ text: '{}' }, 10));
    expect(refused).toMatchObject({
      status: 503,
      code: ReaderErrorCode.OPENAPI_IMPORT_BUSY,
      details: { waiting: 1 },
    });
    await pool.onApplicationShutdown();
    expect(await reading).toMatchObject({ code: ErrorCode.SHUTTING_DOWN });
    expect(await waiting).toMatchObject({ code: ErrorCode.SHUTTING_DOWN });
  });

  it('terminates its worker on shutdown and takes no import after it', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      const pool = poolWith({ entry: SILENT });
      const reading = failureOf(pool.read({ text: '{}' }, 10));
      await pool.onApplicationShutdown();
      expect(terminate).toHaveBeenCalledTimes(1);
      expect(await reading).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
      expect(await failureOf(pool.read({ text: '{}' }, 10))).toMatchObject({
        code: 'SHUTTING_DOWN',
      });
    } finally {
      terminate.mockRestore();
    }
  });

  it('answers 503 OPENAPI_READER_FAILED when the worker dies, and starts a new one', async () => {
    const pool = poolWith({ entry: CRASHING });
    const failure = await failureOf(pool.read({ text: '{}' }, 10));
    expect(failure).toMatchObject({ status: 503, code: ReaderErrorCode.OPENAPI_READER_FAILED });
    expect(failure.message).toMatch(/stopped before answering \(exit code 3\)/);
    expect(await failureOf(pool.read({ text: '{}' }, 10))).toMatchObject({
      code: ReaderErrorCode.OPENAPI_READER_FAILED,
    });
  });

  it('refuses a document that takes the worker past its deadline as too long to resolve', async () => {
    const pool = poolWith({ entry: SILENT, deadlineMs: 100 });
    const failure = await failureOf(pool.read({ text: '{}' }, 10));
    expect(failure).toBeInstanceOf(OpenApiDocumentError);
    expect(failure.message).toBe('Resolving the document took too long');
    expect(failure.details).toEqual({ reason: 'invalid' });
  });

  it('refuses a document that makes the worker run out of memory (400 too-large), and reads the next', async () => {
    const pool = poolWith({ memoryMb: 16 });
    const failure = await failureOf(pool.read({ text: fixture('github-ghes-2.18.json') }, 1000));
    expect(failure).toMatchObject({
      status: 400,
      code: ErrorCode.OPENAPI_DOCUMENT_REFUSED,
      details: { reason: 'too-large', memoryMb: 16 },
    });
    expect((await pool.read({ text: fixture('petstore-3.0.json') }, 100)).operations).toBe(20);
  });
});
