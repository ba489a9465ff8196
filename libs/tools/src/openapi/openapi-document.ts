import { OpenApiDocumentError } from '@app/core';
import { DocumentRefusal, type LoadedDocument, parseText, readDocument } from './openapi-reader.js';

/** A refusal of the reader (in this thread or from its worker) as the platform's 400. */
export function documentErrorOf(refusal: {
  reason: DocumentRefusal['reason'];
  message: string;
  details?: Record<string, unknown>;
}): OpenApiDocumentError {
  return new OpenApiDocumentError(refusal.reason, refusal.message, refusal.details);
}

/**
 * Text of a document read from a URL, JSON else YAML, parsed in the calling thread; the import
 * parses in its reader's worker ({@link OpenApiReaderPool}), by the same rules.
 */
export function parseDocumentText(text: string): unknown {
  try {
    return parseText(text);
  } catch (err) {
    throw err instanceof DocumentRefusal ? documentErrorOf(err) : err;
  }
}

/**
 * {@link readDocument} in the calling thread, its refusals as {@link OpenApiDocumentError}s:
 * the rules the import applies in its reader's worker, for a caller that has no worker.
 */
export async function loadOpenApiDocument(
  raw: unknown,
  maxOperations: number,
): Promise<LoadedDocument> {
  try {
    return await readDocument(raw, maxOperations);
  } catch (err) {
    throw err instanceof DocumentRefusal ? documentErrorOf(err) : err;
  }
}
