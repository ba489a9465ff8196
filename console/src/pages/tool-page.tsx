import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { ToolForm } from '../components/tool-form';
import { TryIt } from '../components/try-it';
import { Badge, ErrorNote, JsonBlock } from '../components/ui';
import { formatMs, formatRate } from '../format';
import { useCatalogue } from '../live';
import { href, navigate } from '../router';
import { toUsage } from '../stats';
import type { Tool, Usage } from '../types';

interface Loaded {
  tool: Tool;
  /** null when the server has no GET /tools/:name: the tool then comes from the list and cannot be changed here. */
  etag: string | null;
  manageable: boolean;
}

/**
 * Loads one tool with its ETag, again whenever the catalogue changes; falls back to the list
 * entry on servers without GET /tools/:name.
 */
function useTool(name: string): { loaded?: Loaded; error?: ApiError; reload(): Promise<void> } {
  const { tools, revision } = useCatalogue();
  const [state, setState] = useState<{ loaded?: Loaded; error?: ApiError; routeMissing?: boolean }>(
    {},
  );

  const reload = useCallback(async () => {
    try {
      const res = await request<Tool>('GET', `/tools/${encodeURIComponent(name)}`);
      setState({ loaded: { tool: res.body, etag: res.etag, manageable: true } });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err));
      setState(e.routeMissing ? { routeMissing: true } : { error: e });
    }
  }, [name]);

  useEffect(() => {
    void reload();
  }, [reload, revision]);

  if (state.routeMissing && tools) {
    const tool = tools.find((t) => t.name === name);
    return tool
      ? { loaded: { tool, etag: null, manageable: false }, reload }
      : {
          error: new ApiError(404, 'TOOL_NOT_FOUND', `No tool named '${name}' on this server`),
          reload,
        };
  }
  return { loaded: state.loaded, error: state.error, reload };
}

function useToolUsage(name: string, available: boolean): Usage | null | undefined {
  const { revision, usage } = useCatalogue();
  const [own, setOwn] = useState<Usage | null>();
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (!available || missing) return;
    request<unknown>('GET', `/tools/${encodeURIComponent(name)}/stats`).then(
      (res) => setOwn(toUsage(res.body)),
      (err: unknown) => {
        if (err instanceof ApiError && (err.routeMissing || err.status === 403)) setMissing(true);
      },
    );
    // usage changes whenever the stats poll ran (after a call, for instance).
  }, [name, available, missing, revision, usage]);
  if (missing) return undefined;
  return own ?? usage?.get(name);
}

function executorText(tool: Tool): string {
  const ex = tool.executor;
  if (ex && ex.type === 'http' && 'url' in ex) {
    return `HTTP ${ex.method} ${ex.url}${ex.timeoutMs ? ` (timeout ${ex.timeoutMs} ms)` : ''}`;
  }
  if (ex && ex.type) return ex.type;
  if (tool.builtin) return 'built-in handler';
  return 'none: calls answer 501 until an executor is set';
}

export function ToolPage({ name }: { name: string }) {
  const { loaded, error, reload } = useTool(name);
  const { refresh, refreshStats, statsAvailable } = useCatalogue();
  const usage = useToolUsage(name, statsAvailable);
  const [actionError, setActionError] = useState<ApiError>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);

  if (error) {
    return (
      <section class="panel">
        <h1>{name}</h1>
        <ErrorNote error={error} />
        <p>
          <a href={href({ page: 'home' })}>Back to all tools</a>
        </p>
      </section>
    );
  }
  if (!loaded) return <p class="muted">Loading…</p>;
  const { tool, etag, manageable } = loaded;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await work();
      await refresh();
      await reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err)));
      // A stale ETag: show the current version so the next click is informed.
      await reload();
    } finally {
      setBusy(false);
    }
  };
  const setEnabled = (enabled: boolean) =>
    act(() =>
      request<Tool>('PATCH', `/tools/${encodeURIComponent(tool.name)}`, {
        body: { enabled },
        ifMatch: etag,
      }),
    );
  const remove = () =>
    act(async () => {
      await request('DELETE', `/tools/${encodeURIComponent(tool.name)}`, { ifMatch: etag });
      // The list shown next must already be without it (the poll would take up to 2 s).
      await refresh();
      navigate({ page: 'home' });
    });

  return (
    <>
      <section class="panel" aria-labelledby="tool-heading">
        <p class="crumbs">
          <a href={href({ page: 'home' })}>All tools</a> /
        </p>
        <div class="panel-head">
          <h1 id="tool-heading">
            <code>{tool.name}</code>
          </h1>
          <div class="badges" data-testid="tool-state">
            {tool.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="off">disabled</Badge>}
            {tool.builtin ? (
              <Badge tone="info">built-in</Badge>
            ) : (
              <Badge tone="info">runtime</Badge>
            )}
          </div>
        </div>
        {tool.title && <p class="title">{tool.title}</p>}
        <p class="description">{tool.description}</p>
        <dl class="facts">
          <div>
            <dt>Version</dt>
            <dd data-testid="tool-version">{tool.version}</dd>
          </div>
          <div>
            <dt>Executor</dt>
            <dd data-testid="tool-executor">{executorText(tool)}</dd>
          </div>
          {usage !== undefined && (
            <>
              <div>
                <dt>Calls</dt>
                <dd data-testid="tool-calls">{usage ? usage.calls : 0}</dd>
              </div>
              <div>
                <dt>Error rate</dt>
                <dd>{formatRate(usage?.errorRate)}</dd>
              </div>
              <div>
                <dt>p95 latency</dt>
                <dd>{formatMs(usage?.p95Ms)}</dd>
              </div>
            </>
          )}
        </dl>
        {manageable && (
          <div class="actions" data-testid="tool-actions">
            {!tool.builtin && (
              <a class="button" href={href({ page: 'edit', name: tool.name })}>
                Edit
              </a>
            )}
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => void setEnabled(!tool.enabled)}
            >
              {tool.enabled ? 'Disable' : 'Enable'}
            </button>
            {!tool.builtin &&
              (confirmDelete ? (
                <span class="confirm" role="group" aria-label="Confirm deletion">
                  <span>Delete {tool.name} for good?</span>
                  <button
                    type="button"
                    class="button danger"
                    disabled={busy}
                    onClick={() => void remove()}
                    ref={(el) => el?.focus()}
                  >
                    Yes, delete
                  </button>
                  <button type="button" class="button" onClick={() => setConfirmDelete(false)}>
                    Keep it
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  class="button danger-outline"
                  onClick={() => setConfirmDelete(true)}
                >
                  Delete
                </button>
              ))}
          </div>
        )}
        {actionError && <ErrorNote error={actionError} />}
      </section>

      <TryIt key={`${tool.name}@${tool.version}`} tool={tool} onCalled={refreshStats} />

      <section class="panel" aria-labelledby="schema-heading">
        <h2 id="schema-heading">Schemas</h2>
        <JsonBlock value={tool.inputSchema} label="Input schema" />
        {tool.outputSchema ? (
          <JsonBlock value={tool.outputSchema} label="Output schema" />
        ) : (
          <p class="muted">No output schema: results are free-form JSON.</p>
        )}
        {tool.annotations && <JsonBlock value={tool.annotations} label="Annotations" />}
      </section>
    </>
  );
}

export function EditPage({ name }: { name: string }) {
  const { loaded, error } = useTool(name);
  // The form edits the version it opened with; a change made meanwhile is caught by If-Match (412).
  const [opened, setOpened] = useState<Loaded>();
  useEffect(() => {
    if (loaded && !opened) setOpened(loaded);
  }, [loaded, opened]);
  if (error) return <ErrorNote error={error} />;
  if (!opened) return <p class="muted">Loading…</p>;
  if (!opened.manageable || opened.tool.builtin) {
    return (
      <section class="panel">
        <h1>{name}</h1>
        <p>
          {opened.tool.builtin
            ? 'Built-in tools are defined in code: they can be disabled or enabled, not edited.'
            : 'This server does not offer tool editing.'}
        </p>
        <a href={href({ page: 'tool', name })}>Back to the tool</a>
      </section>
    );
  }
  return <ToolForm tool={opened.tool} etag={opened.etag} />;
}
