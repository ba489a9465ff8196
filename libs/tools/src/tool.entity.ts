import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ExecutorConfig, JsonSchema, ToolAnnotations, ToolParameter } from './tool.types.js';

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
