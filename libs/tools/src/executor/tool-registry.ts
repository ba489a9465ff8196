import { Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
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
  /** Changes since start; with the process's own prefix, two lives of a process never share one. */
  private generation = 0;
  private readonly epoch = randomUUID().slice(0, 8);
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

  /** Replaces the whole catalogue (at start and after a reconnect); announced only if it differs. */
  replaceAll(records: ToolEntity[]): void {
    const next = new Map<string, RegisteredTool>();
    let differs = records.length !== this.tools.size;
    for (const record of records) {
      const previous = this.tools.get(record.name);
      differs ||= !previous || !sameState(previous.record, record);
      next.set(record.name, this.build(record, previous));
    }
    this.tools.clear();
    for (const [name, tool] of next) this.tools.set(name, tool);
    if (differs) this.changed();
  }

  /** Adds or refreshes one tool; the validator is replaced only when the version changed. */
  upsert(record: ToolEntity): RegisteredTool {
    const previous = this.tools.get(record.name);
    const tool = this.build(record, previous);
    this.tools.set(record.name, tool);
    // A process hears its own writes back through NOTIFY: only a real change is announced.
    if (!previous || !sameState(previous.record, record)) this.changed();
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

  /** Names the current state of the catalogue: it changes with every change of the catalogue. */
  get revision(): string {
    return `${this.epoch}-${this.generation}`;
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
    this.generation++;
    for (const listener of this.changeListeners) listener();
  }
}

/** Same version and same enabled flag: nothing a client could see has changed. */
function sameState(a: ToolEntity, b: ToolEntity): boolean {
  return sameVersion(a, b) && a.enabled === b.enabled;
}

function sameVersion(a: ToolEntity, b: ToolEntity): boolean {
  return a.version === b.version && a.updatedAt?.getTime() === b.updatedAt?.getTime();
}
