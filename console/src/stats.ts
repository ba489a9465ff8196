import type { Usage } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Obj, ...paths: string[]): number | null {
  for (const path of paths) {
    let v: unknown = o;
    for (const part of path.split('.')) v = isObj(v) ? v[part] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** Reads one tool's usage from a stats entry (GET /tools/:name/stats or an item of GET /stats). */
export function toUsage(raw: unknown): Usage | null {
  if (!isObj(raw)) return null;
  const calls = num(raw, 'calls', 'count', 'total', 'totalCalls');
  if (calls === null) return null;
  const errors = num(raw, 'errors', 'errorCount', 'failed');
  let errorRate = num(raw, 'errorRate');
  if (errorRate === null && errors !== null) errorRate = calls > 0 ? errors / calls : 0;
  // A rate above 1 can only be a percentage.
  if (errorRate !== null && errorRate > 1) errorRate /= 100;
  const p95Ms = num(
    raw,
    'p95Ms',
    'p95',
    'latencyMs.p95',
    'latency.p95',
    'durationMs.p95',
    'latency.p95Ms',
  );
  return { calls, errorRate, p95Ms };
}

/** Reads every tool's usage from GET /stats, whichever list or map shape it uses. */
export function toUsageMap(raw: unknown): Map<string, Usage> {
  const out = new Map<string, Usage>();
  const container = isObj(raw) ? (raw.tools ?? raw.byTool ?? raw.stats ?? raw) : raw;
  if (Array.isArray(container)) {
    for (const item of container) {
      if (!isObj(item)) continue;
      const name = item.tool ?? item.name;
      const usage = toUsage(item);
      if (typeof name === 'string' && usage) out.set(name, usage);
    }
  } else if (isObj(container)) {
    for (const [name, item] of Object.entries(container)) {
      const usage = toUsage(item);
      if (usage) out.set(name, usage);
    }
  }
  return out;
}
