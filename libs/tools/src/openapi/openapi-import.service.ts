import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import {
  HttpToolHostRefusedError,
  InvalidRequestError,
  isJsonObject,
  OpenApiDocumentError,
  PlatformError,
  SERVER_RUNTIME,
  type ServerRuntime,
  UpstreamResponseTooLargeError,
} from '@app/core';
import { HTTP_TIMEOUT_DEFAULT_MS, HttpToolExecutor } from '../executor/http-executor.js';
import type { ToolEntity } from '../tool.entity.js';
import type { HttpExecutorConfig } from '../tool.types.js';
import { type ImportWrite, ToolsRepository } from '../tools.repository.js';
import { ToolsService } from '../tools.service.js';
import type { ImportOpenApiDto, ImportResultView } from './openapi-import.dto.js';
import { OpenApiReaderPool, type ReaderInput } from './openapi-reader.pool.js';
import { type ImportedTool, operationsOf, type OperationRef, toolOf } from './openapi-tools.js';
import type { OpenApiServer } from './openapi.types.js';

type Skipped = ImportResultView['skipped'][number];

/** A tool the import would store: its definition, where its calls go and its fingerprint. */
interface Planned {
  tool: ImportedTool;
  executor: HttpExecutorConfig;
  fingerprint: string;
}

/**
 * `POST /tools/import`: reads an OpenAPI 3.0/3.1 document (inline or from a URL, through the
 * SSRF guard), turns each chosen operation into an HTTP tool, and syncs them with what an
 * earlier import of the same source and prefix stored: new operations are created, changed
 * ones updated (new version), unchanged ones left alone, and tools whose operation is gone
 * removed, all in one transaction announced once.
 */
@Injectable()
export class OpenApiImportService {
  private readonly limits: ServerRuntime['config']['openapi'];

  constructor(
    @Inject(SERVER_RUNTIME) private readonly runtime: ServerRuntime,
    private readonly http: HttpToolExecutor,
    private readonly repository: ToolsRepository,
    private readonly tools: ToolsService,
    private readonly reader: OpenApiReaderPool,
  ) {
    this.limits = runtime.config.openapi;
  }

  /**
   * Imports (or, with `dryRun`, previews) a document; refusals leave the registry as it was.
   * `document` is the inline document as parsed (the validated DTO does not carry it).
   */
  async import(
    dto: ImportOpenApiDto,
    document: unknown = dto.source.document,
  ): Promise<ImportResultView> {
    const { url } = dto.source;
    if ((url === undefined) === (document === undefined)) {
      throw new InvalidRequestError('source must have exactly one of url or document', {
        field: 'source',
      });
    }
    if (document !== undefined && !isJsonObject(document)) {
      const problem = {
        field: 'source.document',
        message: 'source.document must be a JSON object',
      };
      throw new InvalidRequestError(problem.message, [problem]);
    }
    const prefix = dto.prefix ?? '';
    // Checked first: an import whose headers or base URL are refused reads no document.
    const base = dto.baseUrl
      ? await this.http.check({ url: dto.baseUrl, headers: dto.headers }, IMPORT_FIELDS)
      : undefined;

    const input = url !== undefined ? await this.read(url) : this.inline(document);
    // Parsing, resolving and validating take seconds of CPU for a large document: in the
    // reader's worker, so that the server answers its other requests meanwhile.
    const loaded = await this.reader.read(input, this.limits.maxOperations);
    const source = url ?? `document:${loaded.document.info?.title ?? 'untitled'}`;

    const skipped: Skipped[] = [];
    const planned: Planned[] = [];
    const names = new Set<string>();
    const targets = new Map<string, Promise<HttpExecutorConfig>>();
    for (const [i, entry] of operationsOf(loaded.document).entries()) {
      // Making tools of a large document's operations takes a few hundred ms in all: done in
      // slices, with the other requests served between them.
      if (i > 0 && i % OPERATIONS_PER_TURN === 0) await turn();
      const skip = (reason: string) => skipped.push({ ...entry.ref, reason });
      if (!chosen(entry.ref, dto.include, dto.exclude)) {
        skip(dto.include && !matches(entry.ref, dto.include) ? 'not in include' : 'in exclude');
        continue;
      }
      const tool = toolOf(entry, prefix, loaded.openapi30);
      if ('reason' in tool) {
        skip(tool.reason);
        continue;
      }
      if (names.has(tool.name)) {
        skip(`another operation already became the tool '${tool.name}'`);
        continue;
      }
      let target: HttpExecutorConfig;
      if (base) target = base;
      else {
        const serverUrl = serverUrlOf(tool.server ?? loaded.document.servers?.[0], url);
        if (!serverUrl) {
          throw new OpenApiDocumentError(
            'no-base-url',
            'The document names no absolute server URL: give baseUrl',
            { operationId: entry.ref.operationId },
          );
        }
        if (!targets.has(serverUrl)) {
          targets.set(
            serverUrl,
            this.http.check({ url: serverUrl, headers: dto.headers }, IMPORT_FIELDS),
          );
        }
        try {
          target = await targets.get(serverUrl)!;
        } catch (err) {
          // A server of the whole document refused refuses the import; one operation's, that operation.
          if (!tool.server || !(err instanceof PlatformError)) throw err;
          skip(err.message);
          continue;
        }
      }
      names.add(tool.name);
      const executor: HttpExecutorConfig = {
        type: 'http',
        url: target.url,
        method: tool.method,
        headers: target.headers,
        timeoutMs: HTTP_TIMEOUT_DEFAULT_MS,
        request: tool.request,
      };
      planned.push({ tool, executor, fingerprint: fingerprintOf(tool, executor) });
    }

    const header = {
      server: this.tools.serverId,
      dryRun: dto.dryRun === true,
      source,
      prefix,
      title: loaded.document.info?.title ?? '',
      openapi: loaded.document.openapi,
      operations: loaded.operations,
    };
    const serverId = this.tools.serverId;
    if (dto.dryRun) {
      const { result } = sync(
        await this.repository.findAll(serverId),
        planned,
        source,
        prefix,
        serverId,
      );
      return { ...header, ...result, skipped: [...skipped, ...result.skipped] };
    }
    const result = await this.repository.applyImport(serverId, (current) =>
      sync(current, planned, source, prefix, serverId),
    );
    // One read of the catalogue, one change of the registry: one list_changed for the import.
    await this.tools.reload();
    return { ...header, ...result, skipped: [...skipped, ...result.skipped] };
  }

  /** Reads the document from its URL: the SSRF guard first (400), then at most the document limit. */
  private async read(url: string): Promise<ReaderInput> {
    await this.http.check({ url }, { url: 'source.url', headers: 'headers' });
    const max = this.limits.maxDocumentBytes;
    let text: string;
    try {
      ({ text } = await this.http.fetchDocument(url, max));
    } catch (err) {
      if (err instanceof UpstreamResponseTooLargeError) throw tooLarge(max);
      if (err instanceof HttpToolHostRefusedError) {
        throw new HttpToolHostRefusedError(400, err.message, err.details as { rule: string });
      }
      if (err instanceof PlatformError) {
        throw new OpenApiDocumentError(
          'unreachable',
          `source.url could not be read: ${err.message}`,
          {
            url,
          },
        );
      }
      throw err;
    }
    return { text };
  }

  /** A document sent in the body, held to the same limit as one read from a URL. */
  private inline(document: unknown): ReaderInput {
    const bytes = Buffer.byteLength(JSON.stringify(document));
    if (bytes > this.limits.maxDocumentBytes) throw tooLarge(this.limits.maxDocumentBytes, bytes);
    return { document };
  }
}

const IMPORT_FIELDS = { url: 'baseUrl', headers: 'headers' };
/** Operations made into tools between two turns of the event loop (about 1 ms each). */
const OPERATIONS_PER_TURN = 25;

function tooLarge(max: number, bytes?: number): OpenApiDocumentError {
  return new OpenApiDocumentError(
    'too-large',
    `The document is larger than ${max} bytes (OPENAPI_MAX_DOCUMENT_BYTES)`,
    { maxDocumentBytes: max, ...(bytes === undefined ? {} : { bytes }) },
  );
}

function matches(ref: OperationRef, list: string[]): boolean {
  return list.includes(ref.operationId) || ref.tags.some((t) => list.includes(t));
}

function chosen(ref: OperationRef, include?: string[], exclude?: string[]): boolean {
  if (include && !matches(ref, include)) return false;
  return !(exclude && matches(ref, exclude));
}

/**
 * A server's URL with its variables at their defaults, made absolute against the document's
 * own URL (OpenAPI allows relative server URLs); undefined when nothing absolute comes of it.
 */
function serverUrlOf(server: OpenApiServer | undefined, documentUrl?: string): string | undefined {
  if (!server || typeof server.url !== 'string') return undefined;
  const filled = server.url.replace(/\{([^}]+)\}/g, (m, name: string) => {
    const value = server.variables?.[name]?.default;
    return typeof value === 'string' ? value : m;
  });
  try {
    return new URL(filled, documentUrl).toString();
  } catch {
    return undefined;
  }
}

/** What the import makes of an operation, hashed: equal fingerprints, nothing to update. */
function fingerprintOf(tool: ImportedTool, executor: HttpExecutorConfig): string {
  const { name, title, description, parameters, inputSchema, outputSchema, annotations } = tool;
  const { operationId, method, path } = tool.operation;
  return createHash('sha256')
    .update(
      JSON.stringify([
        name,
        title,
        description,
        parameters,
        inputSchema,
        outputSchema,
        annotations,
      ]).concat(JSON.stringify([executor, operationId, method, path])),
    )
    .digest('hex');
}

function rowOf(p: Planned): Partial<ToolEntity> {
  const { tool } = p;
  return {
    title: tool.title,
    description: tool.description,
    parameters: tool.parameters,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    executor: p.executor,
    importOperation: {
      operationId: tool.operation.operationId,
      method: tool.operation.method,
      path: tool.operation.path,
    },
    importFingerprint: p.fingerprint,
  };
}

function viewOf(tool: ImportedTool): ImportResultView['created'][number] {
  return { name: tool.name, ...tool.operation };
}

/**
 * Compares the planned tools with this server's current ones: what to insert, update and
 * delete, and the answer that says so. A name taken by a tool of another origin is skipped.
 */
function sync(
  current: ToolEntity[],
  planned: Planned[],
  source: string,
  prefix: string,
  serverId: string,
): {
  write: ImportWrite;
  result: Omit<
    ImportResultView,
    'server' | 'dryRun' | 'source' | 'prefix' | 'title' | 'openapi' | 'operations'
  >;
} {
  const byName = new Map(current.map((t) => [t.name, t]));
  const ours = (t: ToolEntity) => t.importSource === source && t.importPrefix === prefix;
  const write: ImportWrite = { insert: [], update: [], delete: [] };
  const result = {
    created: [] as ImportResultView['created'],
    updated: [] as ImportResultView['updated'],
    unchanged: [] as ImportResultView['unchanged'],
    removed: [] as ImportResultView['removed'],
    skipped: [] as Skipped[],
  };
  const kept = new Set<string>();
  for (const p of planned) {
    const existing = byName.get(p.tool.name);
    if (!existing) {
      write.insert.push({
        ...rowOf(p),
        serverId,
        name: p.tool.name,
        builtin: false,
        enabled: true,
        importSource: source,
        importPrefix: prefix,
      });
      result.created.push(viewOf(p.tool));
    } else if (!ours(existing)) {
      result.skipped.push({
        ...p.tool.operation,
        reason: `a tool named '${p.tool.name}' already exists on ${serverId} and was not imported from this source with this prefix`,
      });
      continue;
    } else if (existing.importFingerprint === p.fingerprint) {
      result.unchanged.push(viewOf(p.tool));
    } else {
      write.update.push({ id: existing.id, patch: rowOf(p) });
      result.updated.push(viewOf(p.tool));
    }
    kept.add(p.tool.name);
  }
  for (const t of current) {
    if (!ours(t) || kept.has(t.name)) continue;
    write.delete.push(t.id);
    result.removed.push({ name: t.name, ...(t.importOperation ?? {}) });
  }
  return { write, result };
}
