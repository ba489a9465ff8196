import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `tools.executor`: how a runtime tool runs (for example an HTTP endpoint).
 * Nullable with no default, so existing rows keep their meaning: built-ins run
 * their handler, runtime tools without an executor answer 501 as before.
 */
export class AddToolExecutor1764230400000 implements MigrationInterface {
  name = 'AddToolExecutor1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tools" ADD COLUMN "executor" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tools" DROP COLUMN "executor"`);
  }
}
