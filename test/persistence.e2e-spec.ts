import { createTestDatabase, http, sql, startTestServers } from './support/harness.js';

describe('persistence and seeding', () => {
  it('seeds 3 and 4 built-in tools on a fresh database, as the document shows', async () => {
    const databaseUrl = await createTestDatabase();
    const servers = await startTestServers(databaseUrl);
    try {
      const counts = await sql(
        databaseUrl,
        'SELECT server_id, COUNT(*)::int AS n FROM tools GROUP BY server_id ORDER BY 1',
      );
      expect(counts).toEqual([
        { server_id: 'server_a', n: 3 },
        { server_id: 'server_b', n: 4 },
      ]);
    } finally {
      await servers.stop();
    }
  });

  it('keeps a registered tool across a restart and seeds built-ins only once', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startTestServers(databaseUrl, {}, ['a']);
    const created = await http('POST', `${first.a}/tools`, {
      name: 'keeper',
      description: 'survives restarts',
    });
    expect(created.status).toBe(201);
    await first.stop();

    const second = await startTestServers(databaseUrl, {}, ['a']);
    try {
      const list = await http<{ tools: Array<{ name: string }> }>('GET', `${second.a}/tools`);
      expect(list.body.tools.map((t) => t.name)).toContain('keeper');
      const rows = await sql(
        databaseUrl,
        "SELECT count(*)::int AS n FROM tools WHERE server_id = 'server_a'",
      );
      expect(rows[0].n).toBe(4);
      const migrations = await sql(databaseUrl, 'SELECT name FROM migrations');
      expect(migrations.length).toBeGreaterThan(0);
    } finally {
      await second.stop();
    }
  });

  it('lets two processes of one server migrate one database at the same time', async () => {
    const databaseUrl = await createTestDatabase();
    const [x, y] = await Promise.all([
      startTestServers(databaseUrl, {}, ['a']),
      startTestServers(databaseUrl, {}, ['a']),
    ]);
    try {
      expect((await http('GET', `${x.a}/health`)).status).toBe(200);
      expect((await http('GET', `${y.a}/health`)).status).toBe(200);
    } finally {
      await Promise.all([x.stop(), y.stop()]);
    }
  });

  it('shows a tool registered through one process on the other at once', async () => {
    const databaseUrl = await createTestDatabase();
    const x = await startTestServers(databaseUrl, {}, ['a']);
    const y = await startTestServers(databaseUrl, {}, ['a']);
    try {
      await http('POST', `${x.a}/tools`, { name: 'shared_tool', description: 'seen everywhere' });
      const deadline = Date.now() + 5000;
      let names: string[] = [];
      while (Date.now() < deadline) {
        const list = await http<{ tools: Array<{ name: string }> }>('GET', `${y.a}/tools`);
        names = list.body.tools.map((t) => t.name);
        if (names.includes('shared_tool')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(names).toContain('shared_tool');
    } finally {
      await Promise.all([x.stop(), y.stop()]);
    }
  });
});
