import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `tool_calls`: one row per tool call (REST and MCP), written in batches, kept AUDIT_RETENTION_DAYS. */
export class CreateToolCalls1764316800000 implements MigrationInterface {
  name = 'CreateToolCalls1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "tool_calls" (
        "id" bigserial NOT NULL,
        "server_id" varchar(64) NOT NULL,
        "tool_name" varchar(128) NOT NULL,
        "caller" varchar(128),
        "transport" varchar(16) NOT NULL,
        "status" varchar(16) NOT NULL,
        "error_code" varchar(64),
        "duration_ms" double precision NOT NULL,
        "request_id" varchar(128),
        "called_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tool_calls_id" PRIMARY KEY ("id")
      )`);
    await q.query(
      `CREATE INDEX "IDX_tool_calls_server_time" ON "tool_calls" ("server_id", "called_at")`,
    );
    await q.query(`CREATE INDEX "IDX_tool_calls_time" ON "tool_calls" ("called_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "tool_calls"`);
  }
}
