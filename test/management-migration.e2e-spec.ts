import { DataSource } from 'typeorm';
import { CreateTools1764057600000 } from '../libs/tools/src/database/migrations/1764057600000-create-tools.js';
import { createTestDatabase, http, sql, startTestServers } from './support/harness.js';

describe('migrations carry an existing database forward', () => {
  it('upgrades a database made by the first migration, with its data, without loss', async () => {
    const databaseUrl = await createTestDatabase();
    const old = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      migrations: [CreateTools1764057600000],
      migrationsTableName: 'migrations',
    });
    await old.initialize();
    await old.runMigrations();
    await old.query(
      `INSERT INTO tools (server_id, name, description, parameters, input_schema, version)
       VALUES ('server_a', 'legacy_tool', 'from before', '[{"name":"x","type":"string","description":"","required":true}]',
               '{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}', 4),
              ('server_b', 'other_legacy', 'b side', '[]', '{"type":"object"}', 1)`,
    );
    await old.destroy();

    const servers = await startTestServers(databaseUrl);
    try {
      const legacy = await http<Record<string, unknown>>('GET', `${servers.a}/tools/legacy_tool`);
      expect(legacy.status).toBe(200);
      expect(legacy.body).toMatchObject({
        name: 'legacy_tool',
        description: 'from before',
        version: 4,
        enabled: true,
        builtin: false,
      });
      const call = await http('POST', `${servers.a}/tools/call`, {
        name: 'legacy_tool',
        arguments: { x: 'y' },
      });
      expect(call.status).toBe(501);
      const patched = await http<Record<string, unknown>>(
        'PATCH',
        `${servers.a}/tools/legacy_tool`,
        { enabled: false },
      );
      expect(patched.body.version).toBe(5);
      const counts = await sql(
        databaseUrl,
        'SELECT server_id, COUNT(*)::int AS n FROM tools GROUP BY server_id ORDER BY 1',
      );
      expect(counts).toEqual([
        { server_id: 'server_a', n: 4 },
        { server_id: 'server_b', n: 5 },
      ]);
      const distinct = await sql(databaseUrl, 'SELECT DISTINCT server_id FROM tools ORDER BY 1');
      expect(distinct).toEqual([{ server_id: 'server_a' }, { server_id: 'server_b' }]);
    } finally {
      await servers.stop();
    }
  });
});
