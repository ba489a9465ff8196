import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import {
  OpenApiDocumentError,
  SERVER_RUNTIME,
  type ServerRuntime,
  ShuttingDownError,
} from '@app/core';
import { documentErrorOf } from './openapi-document.js';
import { OpenApiImportBusyError, OpenApiReaderFailedError } from './openapi-reader.errors.js';
import { type LoadedDocument, tookTooLong } from './openapi-reader.js';
import type { ReaderAnswer, ReaderRequest } from './openapi-reader.worker.js';

/** How the reader's worker is run; every field has a default a test may override. */
export interface ReaderPoolOptions {
  /** Imports that may wait while one document is read; the next one is refused (503). */
  maxWaiting: number;
  /** The worker's V8 heap limit (old generation), in MB: a document needing more is refused. */
  memoryMb: number;
  /** The longest the worker may spend on one document before it is stopped. */
  deadlineMs: number;
  /** How long a worker with nothing to read is kept for the next import. */
  idleMs: number;
  /** The worker's module: the reader's own unless a test runs another. */
  entry: URL;
}

/** Options of {@link OpenApiReaderPool} that replace its defaults (tests). */
export const OPENAPI_READER_OPTIONS = Symbol('OPENAPI_READER_OPTIONS');

/** What the worker is given: the text read from a URL, or the document sent inline. */
export type ReaderInput = { text: string } | { document: unknown };

// Measured with the GitHub Enterprise 2.18 document (1.8 MB, 509 operations): it is read
// within a 32 MB old generation and not within 16 MB, so about 10 to 18 MB per MB of
// document. The limit gives twice that for the largest document OPENAPI_MAX_DOCUMENT_BYTES
// lets in, and never less than the floor.
const MEMORY_MB_PER_DOCUMENT_MB = 32;
const MEMORY_MB_FLOOR = 256;

/** Running from the TypeScript sources (Jest): the worker's module is then a .ts file too. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = new URL(
  `./openapi-reader.worker.${FROM_SOURCES ? 'ts' : 'js'}`,
  import.meta.url,
);
/** Node cannot load .ts by itself: a worker started from the sources first registers this. */
const TYPESCRIPT_LOADER = new URL('./typescript.loader.mjs', import.meta.url);

interface Job {
  request: ReaderRequest;
  resolve(loaded: LoadedDocument): void;
  reject(err: unknown): void;
}

/**
 * Reads OpenAPI documents (parse, `$ref` resolution, validation: 0.6 to 2.5 s of CPU for the
 * GitHub Enterprise document, the first time the most) in a worker thread, so that the server
 * goes on answering every other request meanwhile.
 *
 * One worker per server (a process running two servers may have two), reading one document
 * at a time: an import is rare and an operator's act, the machine's cores are the other
 * requests', and a second worker would double the memory a large document takes. The worker is started for the first import and kept while
 * imports follow each other (loading the parser costs about 200 ms), then stopped after
 * `idleMs`, which gives back its heap. At most `maxWaiting` imports wait behind the one being
 * read; the next is refused at once with `503 OPENAPI_IMPORT_BUSY` rather than queued without
 * bound. A worker that runs out of memory, takes too long or dies is replaced for the next
 * import, and the import it was reading is answered with a clear error.
 */
@Injectable()
export class OpenApiReaderPool implements OnApplicationShutdown {
  private readonly options: ReaderPoolOptions;
  private worker?: Worker;
  private current?: Job & { deadline: NodeJS.Timeout };
  private readonly waiting: Job[] = [];
  private idle?: NodeJS.Timeout;
  private closed = false;
  private ids = 0;

  constructor(
    @Inject(SERVER_RUNTIME) runtime: Pick<ServerRuntime, 'config'>,
    @Optional() @Inject(OPENAPI_READER_OPTIONS) overrides: Partial<ReaderPoolOptions> = {},
  ) {
    const documentMb = runtime.config.openapi.maxDocumentBytes / (1024 * 1024);
    this.options = {
      maxWaiting: 4,
      memoryMb: Math.max(MEMORY_MB_FLOOR, Math.ceil(documentMb * MEMORY_MB_PER_DOCUMENT_MB)),
      deadlineMs: 60_000,
      idleMs: 30_000,
      entry: WORKER_ENTRY,
      ...overrides,
    };
  }

  /**
   * Parses (for text), resolves and validates a document in the worker; refusals are the
   * same {@link OpenApiDocumentError}s as {@link loadOpenApiDocument}'s.
   */
  read(input: ReaderInput, maxOperations: number): Promise<LoadedDocument> {
    if (this.closed) return Promise.reject(new ShuttingDownError());
    if (this.current && this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(new OpenApiImportBusyError(this.waiting.length));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ request: { id: ++this.ids, maxOperations, ...input }, resolve, reject });
      this.next();
    });
  }

  /** Stops the worker and refuses what still waits (after Nest has drained the requests). */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idle);
    for (const job of this.waiting.splice(0)) job.reject(new ShuttingDownError());
    this.finish()?.reject(new ShuttingDownError());
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.waiting.shift();
    if (!job) {
      this.idle = setTimeout(() => this.stop(), this.options.idleMs).unref();
      return;
    }
    clearTimeout(this.idle);
    const worker = (this.worker ??= this.start());
    const deadline = setTimeout(
      () => this.fail(worker, documentErrorOf(tookTooLong())),
      this.options.deadlineMs,
    );
    this.current = { ...job, deadline };
    worker.postMessage(job.request);
  }

  private start(): Worker {
    const { entry, memoryMb } = this.options;
    const options = {
      name: 'openapi-reader',
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    };
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(bootThroughLoader(entry), options)
      : new Worker(entry, options);
    // The server's own listeners keep the process alive; a worker must never be what does.
    worker.unref();
    worker.on('message', (answer: ReaderAnswer) => this.answered(worker, answer));
    worker.on('error', (err: Error & { code?: string }) =>
      this.fail(
        worker,
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? outOfMemory(memoryMb)
          : new OpenApiReaderFailedError(err.message),
      ),
    );
    worker.on('exit', (code) =>
      this.fail(worker, new OpenApiReaderFailedError(`exit code ${code}`)),
    );
    return worker;
  }

  private answered(worker: Worker, answer: ReaderAnswer): void {
    if (worker !== this.worker || answer.id !== this.current?.request.id) return;
    const job = this.finish()!;
    if ('loaded' in answer) job.resolve(answer.loaded);
    else if ('refusal' in answer) job.reject(documentErrorOf(answer.refusal));
    // Thrown in the worker by something other than the reader's rules: a bug, a 500 as before.
    else job.reject(new Error(`The OpenAPI reader failed: ${answer.failure}`));
    this.next();
  }

  /** The worker is lost (it died, ran out of memory or ran past the deadline): replace it. */
  private fail(worker: Worker, err: unknown): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    void worker.terminate();
    this.finish()?.reject(err);
    this.next();
  }

  private finish(): Job | undefined {
    const job = this.current;
    this.current = undefined;
    if (job) clearTimeout(job.deadline);
    return job;
  }

  private stop(): void {
    if (this.current || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker.terminate();
  }
}

function outOfMemory(memoryMb: number): OpenApiDocumentError {
  return new OpenApiDocumentError(
    'too-large',
    `Reading the document needs more than the ${memoryMb} MB of memory an import may use`,
    { memoryMb },
  );
}

/**
 * A worker for a .ts module: a first module (a data: URL, since it must exist before any .ts
 * can load) registers the TypeScript loader on the worker's thread, then imports the entry.
 */
function bootThroughLoader(entry: URL): URL {
  const boot = [
    `import { register } from 'node:module';`,
    `register(${JSON.stringify(TYPESCRIPT_LOADER.href)});`,
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
