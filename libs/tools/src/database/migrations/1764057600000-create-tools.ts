import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `tools` table: one row per tool per server, unique by (server_id, name). */
export class CreateTools1764057600000 implements MigrationInterface {
  name = 'CreateTools1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "tools" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "server_id" varchar(64) NOT NULL,
        "name" varchar(128) NOT NULL,
        "title" varchar(256),
        "description" text NOT NULL,
        "parameters" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "input_schema" jsonb NOT NULL,
        "output_schema" jsonb,
        "annotations" jsonb,
        "builtin" boolean NOT NULL DEFAULT false,
        "enabled" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tools_id" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_tools_server_id_name" ON "tools" ("server_id", "name")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "tools"`);
  }
}
