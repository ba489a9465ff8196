import { PlatformError } from '@app/core';

/** The answers of the OpenAPI reader's worker pool that only an import can get. */
export const ReaderErrorCode = {
  OPENAPI_IMPORT_BUSY: 'OPENAPI_IMPORT_BUSY',
  OPENAPI_READER_FAILED: 'OPENAPI_READER_FAILED',
} as const;

/**
 * Enough imports are already waiting for the OpenAPI reader's worker: the caller should retry
 * in {@link retryAfterSeconds} (about what reading a large document takes).
 */
export class OpenApiImportBusyError extends PlatformError {
  readonly retryAfterSeconds = 5;

  constructor(waiting: number) {
    super(
      503,
      ReaderErrorCode.OPENAPI_IMPORT_BUSY,
      `This server is already reading an OpenAPI document and ${waiting} more are waiting, the most it queues; retry when an import has finished`,
      { waiting },
    );
  }
}

/** The OpenAPI reader's worker stopped without an answer (a crash): nothing was imported. */
export class OpenApiReaderFailedError extends PlatformError {
  constructor(detail: string) {
    super(
      503,
      ReaderErrorCode.OPENAPI_READER_FAILED,
      `The worker reading the document stopped before answering (${detail}); nothing was imported, retry the import`,
    );
  }
}
