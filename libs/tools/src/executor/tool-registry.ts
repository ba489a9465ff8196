import { Injectable, Optional } from '@nestjs/common';
import type { ToolEntity } from '../tool.entity.js';
import type { ToolExecutor, ToolHandler } from '../tool.types.js';
import { type ArgumentValidator, lazyArgumentValidator } from './argument-validator.js';
import { HttpToolExecutor } from './http-executor.js';

/**
 * A tool ready to call: its stored record, its validator (compiled on first use, once per
 * version) and what runs it (the built-in handler, the executor named by the record, or
 * nothing: 501).
 */
export interface RegisteredTool {
  readonly record: ToolEntity;
  readonly validate: ArgumentValidator;
  readonly executor?: ToolExecutor;
}

/**
 * The in-memory catalogue of one server's tools. Calls read only from here, so the
 * hot path never touches the database; writes and change notifications refresh it.
 */
@Injectable()
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private readonly handlers = new Map<string, ToolHandler>();
  private sorted: RegisteredTool[] | undefined;
  private readonly changeListeners = new Set<() => void>();

  /** Calls `listener` after every change of the catalogue; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  constructor(@Optional() private readonly http?: HttpToolExecutor) {}

  /** Attaches the built-in handler that executes the tool named `name`. */
  addHandler(name: string, handler: ToolHandler): void {
    this.handlers.set(name, handler);
  }

  /** Replaces the whole catalogue (at start and after a reconnect). */
  replaceAll(records: ToolEntity[]): void {
    const next = new Map<string, RegisteredTool>();
    for (const record of records)
      next.set(record.name, this.build(record, this.tools.get(record.name)));
    this.tools.clear();
    for (const [name, tool] of next) this.tools.set(name, tool);
    this.changed();
  }

  /** Adds or refreshes one tool; the validator is replaced only when the version changed. */
  upsert(record: ToolEntity): RegisteredTool {
    const previous = this.tools.get(record.name);
    const tool = this.build(record, previous);
    this.tools.set(record.name, tool);
    // A process hears its own writes back through NOTIFY: only a real change is announced.
    if (
      !previous ||
      !sameVersion(previous.record, record) ||
      previous.record.enabled !== record.enabled
    ) {
      this.changed();
    }
    return tool;
  }

  remove(name: string): void {
    if (this.tools.delete(name)) this.changed();
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  /** All tools, sorted by name (cached until the next change). */
  list(): readonly RegisteredTool[] {
    this.sorted ??= [...this.tools.values()].sort((a, b) =>
      a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0,
    );
    return this.sorted;
  }

  get size(): number {
    return this.tools.size;
  }

  private build(record: ToolEntity, previous?: RegisteredTool): RegisteredTool {
    const reusable = previous !== undefined && sameVersion(previous.record, record);
    return {
      record,
      validate: reusable ? previous.validate : lazyArgumentValidator(record.inputSchema),
      executor: record.builtin ? this.handlers.get(record.name) : this.runtimeExecutor(record),
    };
  }

  private runtimeExecutor(record: ToolEntity): ToolExecutor | undefined {
    if (record.executor?.type === 'http' && this.http) {
      return this.http.create(record.name, record.executor);
    }
    return undefined;
  }

  private changed(): void {
    this.sorted = undefined;
    for (const listener of this.changeListeners) listener();
  }
}

function sameVersion(a: ToolEntity, b: ToolEntity): boolean {
  return a.version === b.version && a.updatedAt?.getTime() === b.updatedAt?.getTime();
}
