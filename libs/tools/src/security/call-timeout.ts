import { ToolTimeoutError } from '../errors/tool-errors.js';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (or when `outer` aborts),
 * and settles as soon as that happens even if the executor ignores the signal:
 * a stuck handler can cost a timer, never a hung request. An executor that answers
 * synchronously (most built-in tools) costs no timer and no race.
 */
export async function withCallTimeout<T>(
  tool: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T> | T,
): Promise<T> {
  const timeout = new AbortController();
  const signal = outer ? AbortSignal.any([timeout.signal, outer]) : timeout.signal;
  if (signal.aborted) throw signal.reason;
  const pending = work(signal);
  if (!isPromiseLike(pending)) return pending;
  const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(tool, timeoutMs)), timeoutMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}

function isPromiseLike<T>(value: Promise<T> | T): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
