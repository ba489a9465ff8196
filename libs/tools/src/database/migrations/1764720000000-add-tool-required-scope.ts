import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `tools.required_scope`: the OAuth scope a token must hold, besides `tools:call`, to
 * see and call the tool. Nullable with no default: existing tools stay callable as before.
 */
export class AddToolRequiredScope1764720000000 implements MigrationInterface {
  name = 'AddToolRequiredScope1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tools" ADD COLUMN "required_scope" varchar(128)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tools" DROP COLUMN "required_scope"`);
  }
}
