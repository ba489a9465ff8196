import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  connectClient,
  listAllTools,
  REVISIONS,
  type Revision,
  type TestMcpClient,
} from './support/mcp-clients.js';
import { createTestDatabase, startTestServers, type TestServers } from './support/harness.js';

// Each call's structuredContent must match the tool's declared outputSchema: the SDK clients
// check it themselves once they have listed the tools, and this test checks it again with Ajv.
const CALLS: Array<[string, Record<string, unknown>]> = [
  ['get_time', { timezone: 'Asia/Bangkok' }],
  [
    'get_time',
    {
      operation: 'convert',
      timezone: 'Europe/London',
      time: '2026-10-25T01:30',
      targetTimezone: 'UTC',
    },
  ],
  ['text_analyzer', { text: 'ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ' }],
  ['text_analyzer', { operation: 'sentiment', text: 'What a wonderful, happy day!' }],
  ['text_analyzer', { operation: 'keywords', text: 'cats and dogs and cats' }],
  ['text_analyzer', { operation: 'statistics', text: '今日は良い天気です。' }],
  ['data_processor', { operation: 'stats', data: [1, 2, 3, 4] }],
  ['data_processor', { operation: 'stats', data: [] }],
  ['data_processor', { operation: 'sort', data: 'n,v\na,2\nb,1\n', field: 'v', order: 'desc' }],
  ['data_processor', { operation: 'filter', data: [1, 5, 9], operator: 'gte', value: 5 }],
  [
    'data_processor',
    {
      operation: 'group',
      data: [
        { g: 'x', v: 1 },
        { g: 'x', v: 2 },
      ],
      field: 'g',
      valueField: 'v',
      aggregate: 'avg',
    },
  ],
  ['data_processor', { operation: 'deduplicate', data: [1, 1, 2] }],
  ['data_processor', { operation: 'describe', data: 'a,b\n1,x\n2,\n' }],
  ['get_weather', { location: 'Bangkok', days: 2 }],
  ['get_weather', { latitude: 48.85, longitude: 2.35, units: 'imperial' }],
];

describe('Server B utility tools over MCP: results match their output schemas', () => {
  let servers: TestServers;

  beforeAll(async () => {
    servers = await startTestServers(
      await createTestDatabase(),
      { WEATHER_PROVIDER: 'simulated' },
      ['b'],
    );
  });

  afterAll(async () => {
    await servers?.stop();
  });

  describe.each(REVISIONS)('a %s client', (revision: Revision) => {
    let client: TestMcpClient;
    const schemas = new Map<string, Record<string, unknown>>();

    beforeAll(async () => {
      client = await connectClient(revision, new URL(`${servers.b}/mcp`));
      for (const tool of await listAllTools(client))
        if (tool.outputSchema) schemas.set(tool.name, tool.outputSchema);
    });

    afterAll(async () => {
      await client?.close();
    });

    it('lists an output schema for each utility tool', () => {
      expect([...schemas.keys()]).toEqual(
        expect.arrayContaining(['get_time', 'text_analyzer', 'data_processor', 'get_weather']),
      );
    });

    it.each(CALLS)(
      '%s %j',
      async (name, args) => {
        const result = await client.callTool(name, args);
        expect(result.isError).toBeFalsy();
        const validate = new Ajv2020({ strict: false }).compile(schemas.get(name)!);
        expect(validate(result.structuredContent)).toBe(true);
      },
      30_000,
    );

    it('reports bad input as a tool error naming the field', async () => {
      const result = await client.callTool('get_time', { timezone: 'Mars/Base' });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toContain('arguments.timezone');
    });
  });
});
