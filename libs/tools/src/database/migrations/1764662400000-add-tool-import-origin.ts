import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an imported tool came from: the OpenAPI document (its URL, or the title of a
 * document sent inline), the prefix it was imported with, its operation, and a fingerprint
 * of what the import made of it, so a re-import can tell changed operations from unchanged
 * ones. All nullable: tools registered by hand and built-in tools have no origin.
 */
export class AddToolImportOrigin1764662400000 implements MigrationInterface {
  name = 'AddToolImportOrigin1764662400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "tools"
        ADD COLUMN "import_source" varchar(2048),
        ADD COLUMN "import_prefix" varchar(128),
        ADD COLUMN "import_operation" jsonb,
        ADD COLUMN "import_fingerprint" varchar(64)`);
    await q.query(
      `CREATE INDEX "IDX_tools_import" ON "tools" ("server_id", "import_source", "import_prefix") WHERE "import_source" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_tools_import"`);
    await q.query(`
      ALTER TABLE "tools"
        DROP COLUMN "import_fingerprint",
        DROP COLUMN "import_operation",
        DROP COLUMN "import_prefix",
        DROP COLUMN "import_source"`);
  }
}
