import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import { send, startFixtureServer, type FixtureServer } from './fixture-server.js';

/** One request as the upstream received it. */
export interface PetstoreRequest {
  method: string;
  path: string;
  /** The raw query string, without `?`, exactly as sent. */
  query: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface PetstoreFixture {
  url: string;
  /** The document it serves at `/openapi.json` (tests change it to prove a re-import). */
  document: Record<string, unknown>;
  received: PetstoreRequest[];
  close(): Promise<void>;
}

const PETSTORE = new URL('../fixtures/openapi/petstore-3.0.json', import.meta.url);

/** The Petstore 3.0 document shipped with the tests, as a fresh object. */
export function petstoreDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(PETSTORE, 'utf8')) as Record<string, unknown>;
}

/**
 * The Swagger Petstore's API on 127.0.0.1 under `/v2`, answering a few operations in the
 * document's formats (a Pet, a list of Pets, a login string) and recording every request;
 * it serves its own OpenAPI document at `/openapi.json` (YAML at `/openapi.yaml`).
 */
export async function startPetstoreFixture(): Promise<PetstoreFixture> {
  const received: PetstoreRequest[] = [];
  const state = { document: petstoreDocument() };
  const pet = (id: number) => ({
    id,
    name: `pet-${id}`,
    photoUrls: [`https://example.com/${id}.png`],
    status: 'available',
    category: { id: 1, name: 'dogs' },
    tags: [{ id: 2, name: 'friendly' }],
  });
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, 'application/json', JSON.stringify(value));
  const server: FixtureServer = await startFixtureServer((req, res, url) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = url.pathname;
      if (path === '/openapi.json') return json(res, 200, state.document);
      if (path === '/openapi.yaml') {
        return send(res, 200, 'application/yaml', stringify(state.document));
      }
      received.push({
        method: req.method ?? '',
        path,
        query: url.search.replace(/^\?/, ''),
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      });
      const petId = /^\/v2\/pet\/(\d+)$/.exec(path);
      if (petId && req.method === 'GET') return json(res, 200, pet(Number(petId[1])));
      if (petId && req.method === 'DELETE') return json(res, 200, { deleted: Number(petId[1]) });
      if (path === '/v2/pet/findByStatus') {
        return json(res, 200, [pet(1), { ...pet(2), status: url.searchParams.get('status') }]);
      }
      if (path === '/v2/pet' && req.method === 'POST') {
        return json(res, 200, { ...(JSON.parse(text) as object), id: 99 });
      }
      if (path === '/v2/user/login') return json(res, 200, 'logged in user session:12345');
      json(res, 404, { code: 404, message: 'not in the fixture' });
    });
  });
  return {
    url: server.url,
    get document() {
      return state.document;
    },
    set document(value) {
      state.document = value;
    },
    received,
    close: () => server.close(),
  };
}
