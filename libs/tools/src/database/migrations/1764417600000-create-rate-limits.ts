import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `rate_limits`: the rate-limit counters every process of every server shares (one row per
 * server and caller, in the layout rate-limiter-flexible's PostgreSQL limiter reads; its own
 * CREATE TABLE at run time is turned off). UNLOGGED: a counter lives one minute, so it is not
 * worth a WAL write per call; a crash of PostgreSQL empties the table, which restarts the
 * current windows and loses nothing else.
 */
export class CreateRateLimits1764417600000 implements MigrationInterface {
  name = 'CreateRateLimits1764417600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE "rate_limits" (
        "key" varchar(255) NOT NULL,
        "points" integer NOT NULL DEFAULT 0,
        "expire" bigint,
        CONSTRAINT "PK_rate_limits_key" PRIMARY KEY ("key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limits"`);
  }
}
