import { readFileSync } from 'node:fs';
import { loadOpenApiDocument } from '../libs/tools/src/openapi/openapi-document.js';
import { operationsOf, toolOf } from '../libs/tools/src/openapi/openapi-tools.js';
import { createTestDatabase, http, type Json, sql } from './support/harness.js';
import { freePort, spawnEntry, stopProcess, waitForHttp, type Spawned } from './support/process.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/openapi/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
/** Where the imported tools would send their calls; never called here. */
const BASE_URL = 'http://127.0.0.1:9/github';
const POLL_EVERY_MS = 50;
/**
 * Before the worker, a poll waited as long as the whole reading: 0.8 s (warm) to 2 s (first
 * import, as here), half of a warm import's time and some 85% of a first one's. What still
 * runs on the event loop is short: parsing the body and the tools made in slices of 25
 * operations (the validated DTO no longer copies the document): measured 0.1 to 0.15 s of a
 * 1.7 to 2.2 s import. The bound is a share of the import's own time, so that a machine slowed
 * by other tests slows both sides of it alike.
 */
const MAX_LIVENESS_SHARE = 1 / 2;

/**
 * The built server (`node dist/...`, the worker module as plain JavaScript) in a process of its
 * own, so that the test's client does not share the event loop it measures. The other OpenAPI
 * e2e tests run the servers in Jest's process, their worker from the TypeScript sources.
 */
describe('POST /tools/import reads the document in a worker thread', () => {
  let databaseUrl: string;
  let app: Spawned | undefined;
  let b: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    const port = await freePort();
    app = spawnEntry('server-b', {
      DATABASE_URL: databaseUrl,
      PORT_B: String(port),
      HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1:9',
      OPENAPI_MAX_OPERATIONS: '600',
      OPENAPI_MAX_DOCUMENT_BYTES: '3000000',
    });
    b = `http://127.0.0.1:${port}`;
    await waitForHttp(`${b}/health/live`, 120_000);
  });

  // Not a test of its own, which a shuffled order could run before the others: the server,
  // whose worker is still kept from the last import, must stop by itself on SIGTERM, code 0.
  afterAll(async () => {
    if (app) expect(await stopProcess(app)).toBe(0);
  });

  /**
   * Polls `GET /health/live` every 50 ms until `work` settles; answers the slowest poll, timed
   * from when it was due: a blocked event loop delays the poll's timer as much as its answer.
   */
  async function slowestLivenessDuring<T>(
    work: Promise<T>,
  ): Promise<{ result: T; slowest: number; polls: number; took: number }> {
    const started = performance.now();
    let settled = false;
    const latencies: number[] = [];
    const polling = (async () => {
      let due = performance.now();
      while (!settled) {
        const live = await http('GET', `${b}/health/live`);
        const answered = performance.now();
        latencies.push(answered - due);
        expect(live.status).toBe(200);
        due = answered + POLL_EVERY_MS;
        await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
      }
    })();
    try {
      const result = await work;
      const took = performance.now() - started;
      return { result, slowest: Math.max(...latencies), polls: latencies.length, took };
    } finally {
      settled = true;
      await polling;
    }
  }

  it(`answers GET /health/live within half the import's time, all through the import of GitHub Enterprise 2.18, which makes the same tools as reading it in-thread`, async () => {
    const github = fixture('github-ghes-2.18.json');
    // What the import made of the document before it had a worker: the same rules, in-thread.
    const loaded = await loadOpenApiDocument(github, 600);
    const expected = new Map<string, Json>();
    const skipped: string[] = [];
    for (const entry of operationsOf(loaded.document)) {
      const tool = toolOf(entry, 'ghw_', loaded.openapi30);
      if ('reason' in tool) skipped.push(entry.ref.operationId);
      else expected.set(tool.name, tool);
    }

    const body = JSON.stringify({
      source: { document: github },
      baseUrl: BASE_URL,
      prefix: 'ghw_',
    });
    const { result, slowest, polls, took } = await slowestLivenessDuring(
      http<Json>('POST', `${b}/tools/import`, body),
    );
    expect(result.status).toBe(201);
    expect(polls).toBeGreaterThan(5);
    console.log(
      `import of GHES 2.18 in ${Math.round(took)} ms: ${polls} polls, the slowest ${Math.round(slowest)} ms`,
    );
    expect(slowest).toBeLessThan(took * MAX_LIVENESS_SHARE);

    expect(result.body.operations).toBe(509);
    expect(result.body.created.map((c: Json) => c.name).sort()).toEqual(
      [...expected.keys()].sort(),
    );
    expect(result.body.skipped.map((s: Json) => s.operationId).sort()).toEqual(skipped.sort());
    const rows = await sql<{ name: string; input_schema: Json; output_schema: Json | null }>(
      databaseUrl,
      "SELECT name, input_schema, output_schema FROM tools WHERE import_prefix = 'ghw_'",
    );
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const tool = expected.get(row.name);
      expect(row.input_schema).toEqual(tool?.inputSchema);
      expect(row.output_schema).toEqual(tool?.outputSchema);
    }
  });

  it('reads imports sent together one after another, refusing none within the queue bound', async () => {
    const petstore = fixture('petstore-3.0.json');
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        http<Json>('POST', `${b}/tools/import`, {
          source: { document: petstore },
          baseUrl: BASE_URL,
          prefix: `pet${n}_`,
          dryRun: true,
        }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.operations).toBe(20);
    }
  });
});
