import { Inject, Injectable } from '@nestjs/common';
import { closest, distance } from 'fastest-levenshtein';
import { SERVER_RUNTIME, type ServerRuntime, ToolNotFoundError } from '@app/core';
import { ToolRegistry } from './executor/tool-registry.js';
import { ToolsRepository } from './tools.repository.js';

/** How old the picture of the other servers' tools may be; read again on a miss after that. */
const OTHERS_TTL_MS = 10_000;
/** A miss never waits longer than this for the database: the 404 matters more than the hint. */
const OTHERS_TIMEOUT_MS = 1000;

/** The closest of `names` to `name`, when it is close enough to be a slip of the keyboard. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  if (names.length === 0 || name.length === 0) return undefined;
  const best = closest(name, names as string[]);
  const allowed = Math.max(2, Math.floor(Math.max(name.length, best.length) / 3));
  return distance(name.toLowerCase(), best.toLowerCase()) <= allowed ? best : undefined;
}

/**
 * Builds the 404 of a tool name this server does not have, saying which of its tools was
 * probably meant and which other servers of the database have that exact name. The other
 * servers' names are read from the shared `tools` table at most every {@link OTHERS_TTL_MS},
 * so a flood of wrong names costs no more than one query per interval.
 */
@Injectable()
export class ToolSuggestions {
  private others?: { at: number; byName: Map<string, string[]> };
  private reading?: Promise<void>;

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    private readonly registry: ToolRegistry,
    private readonly repository: ToolsRepository,
  ) {}

  /** The ToolNotFoundError to answer a call or a read of `name`, with what is known about it. */
  async notFound(name: string): Promise<ToolNotFoundError> {
    const serverId = this.runtime.server.id;
    const mine = this.registry.list().map((t) => t.record.name);
    const elsewhere = (await this.otherServers()).get(name);
    return new ToolNotFoundError(name, serverId, {
      closest: closestName(name, mine),
      elsewhere,
    });
  }

  private async otherServers(): Promise<Map<string, string[]>> {
    if (!this.others || Date.now() - this.others.at > OTHERS_TTL_MS) {
      this.reading ??= this.read().finally(() => (this.reading = undefined));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.reading,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, OTHERS_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    }
    return this.others?.byName ?? new Map();
  }

  private async read(): Promise<void> {
    try {
      const rows = await this.repository.otherServersTools(this.runtime.server.id);
      const byName = new Map<string, string[]>();
      for (const { serverId, name } of rows)
        byName.set(name, [...(byName.get(name) ?? []), serverId]);
      for (const servers of byName.values()) servers.sort();
      this.others = { at: Date.now(), byName };
    } catch {
      // No database, no hint: the 404 is still right. Not tried again before the interval ends.
      this.others = { at: Date.now(), byName: this.others?.byName ?? new Map() };
    }
  }
}
