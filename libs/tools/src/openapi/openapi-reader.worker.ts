import { parentPort } from 'node:worker_threads';
import { DocumentRefusal, type LoadedDocument, parseText, readDocument } from './openapi-reader.js';

/** One document for the worker: as text (read from a URL) or as parsed JSON (sent inline). */
export type ReaderRequest = { id: number; maxOperations: number } & (
  { text: string } | { document: unknown }
);

/** The worker's answer to one request: the loaded document, a refusal, or an unexpected failure. */
export type ReaderAnswer = { id: number } & (
  | { loaded: LoadedDocument }
  | { refusal: Pick<DocumentRefusal, 'reason' | 'message' | 'details'> }
  | { failure: string }
);

const port = parentPort;
if (!port) throw new Error('openapi-reader.worker.js runs in a worker thread (OpenApiReaderPool)');

port.on('message', (request: ReaderRequest) => {
  void answer(request).then((reply) => {
    try {
      // The dereferenced document shares one object between the places that referred to it;
      // the structured clone keeps that sharing, where JSON would expand every $ref.
      port.postMessage(reply);
    } catch (err) {
      port.postMessage({ id: request.id, failure: String(err) } satisfies ReaderAnswer);
    }
  });
});

async function answer(request: ReaderRequest): Promise<ReaderAnswer> {
  const { id } = request;
  try {
    const raw = 'text' in request ? parseText(request.text) : request.document;
    return { id, loaded: await readDocument(raw, request.maxOperations) };
  } catch (err) {
    if (err instanceof DocumentRefusal) {
      return { id, refusal: { reason: err.reason, message: err.message, details: err.details } };
    }
    return { id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}
