import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type {
  ExecutorConfig,
  ImportedOperation,
  JsonSchema,
  ToolAnnotations,
  ToolParameter,
} from './tool.types.js';

/** One tool of one server. `(server_id, name)` is unique: the same name may live on both servers. */
@Entity({ name: 'tools' })
@Index('UQ_tools_server_id_name', ['serverId', 'name'], { unique: true })
export class ToolEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 64 })
  serverId!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  title!: string | null;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  parameters!: ToolParameter[];

  @Column({ name: 'input_schema', type: 'jsonb' })
  inputSchema!: JsonSchema;

  @Column({ name: 'output_schema', type: 'jsonb', nullable: true })
  outputSchema!: JsonSchema | null;

  @Column({ type: 'jsonb', nullable: true })
  annotations!: ToolAnnotations | null;

  /** How a runtime tool runs; null for built-ins (their handler runs) and for tools with nothing to run. */
  @Column({ type: 'jsonb', nullable: true })
  executor!: ExecutorConfig | null;

  /** The OpenAPI document an imported tool came from: its URL, or `document:<title>`; null otherwise. */
  @Column({ name: 'import_source', type: 'varchar', length: 2048, nullable: true })
  importSource!: string | null;

  /** The prefix the tool was imported with ('' for none); with the source, what a re-import syncs. */
  @Column({ name: 'import_prefix', type: 'varchar', length: 128, nullable: true })
  importPrefix!: string | null;

  /** The document's operation behind an imported tool. */
  @Column({ name: 'import_operation', type: 'jsonb', nullable: true })
  importOperation!: ImportedOperation | null;

  /** SHA-256 of what the import made of the operation: a re-import with the same one changes nothing. */
  @Column({ name: 'import_fingerprint', type: 'varchar', length: 64, nullable: true })
  importFingerprint!: string | null;

  /** An OAuth scope a token must hold, besides `tools:call`, to see and call this tool. */
  @Column({ name: 'required_scope', type: 'varchar', length: 128, nullable: true })
  requiredScope!: string | null;

  /** Built-in tools are seeded from handler classes at every start. */
  @Column({ type: 'boolean', default: false })
  builtin!: boolean;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
