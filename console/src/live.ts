import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from './api';
import { toUsageMap } from './stats';
import type { Tool, ToolList, Usage } from './types';

/** How often the tool list is re-checked; a check costs one conditional GET (304 when unchanged). */
export const LIST_POLL_MS = 2000;
const STATS_POLL_MS = 10000;

export interface Catalogue {
  tools: Tool[] | undefined;
  error: ApiError | undefined;
  /** Bumped whenever the list changed on the server: pages showing one tool reload it. */
  revision: number;
  refresh(): Promise<void>;
  usage: Map<string, Usage> | undefined;
  /** false when the server has no stats routes. */
  statsAvailable: boolean;
  refreshStats(): void;
}

export const CatalogueContext = createContext<Catalogue | null>(null);

export function useCatalogue(): Catalogue {
  const value = useContext(CatalogueContext);
  if (!value) throw new Error('useCatalogue outside CatalogueContext');
  return value;
}

/** Calls `tick` now and then every `ms` while the tab is visible, and at once when it becomes visible. */
export function usePoll(tick: () => unknown, ms: number, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    let timer: number | undefined;
    const run = async () => {
      window.clearTimeout(timer);
      if (!document.hidden) await latest.current();
      timer = window.setTimeout(run, ms);
    };
    const onVisible = () => {
      if (!document.hidden) void run();
    };
    void run();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ms, enabled]);
}

/**
 * Keeps the tool list fresh by polling GET /tools with If-None-Match: an unchanged list is a
 * bodiless 304, a change made by anyone (another operator, another process) shows up within
 * {@link LIST_POLL_MS}.
 */
export function useCatalogueSource(): Catalogue {
  const [tools, setTools] = useState<Tool[]>();
  const [error, setError] = useState<ApiError>();
  const [revision, setRevision] = useState(0);
  const etag = useRef<string | null>(null);
  const [usage, setUsage] = useState<Map<string, Usage>>();
  const [statsAvailable, setStatsAvailable] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const res = await request<ToolList>('GET', '/tools', { ifNoneMatch: etag.current });
      setError(undefined);
      if (res.status === 304) return;
      etag.current = res.etag;
      setTools(res.body.tools);
      setRevision((r) => r + 1);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', String(err)));
    }
  }, []);

  const refreshStats = useCallback(async () => {
    try {
      const res = await request<unknown>('GET', '/stats');
      setUsage(toUsageMap(res.body));
    } catch (err) {
      if (err instanceof ApiError && (err.routeMissing || err.status === 403)) {
        setStatsAvailable(false);
      }
    }
  }, []);

  usePoll(refresh, LIST_POLL_MS);
  usePoll(refreshStats, STATS_POLL_MS, statsAvailable);
  // A changed list usually means calls or tools changed too.
  useEffect(() => {
    if (revision > 1 && statsAvailable) void refreshStats();
  }, [revision, statsAvailable, refreshStats]);

  return {
    tools,
    error,
    revision,
    refresh,
    usage,
    statsAvailable,
    refreshStats: () => void refreshStats(),
  };
}
