import { ToolTimeoutError } from '../errors/tool-errors.js';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (or when `outer` aborts),
 * and settles as soon as that happens even if the executor ignores the signal:
 * a stuck handler can cost a timer, never a hung request.
 */
export async function withCallTimeout<T>(
  tool: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T> | T,
): Promise<T> {
  const timeout = new AbortController();
  const signal = outer ? AbortSignal.any([timeout.signal, outer]) : timeout.signal;
  const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(tool, timeoutMs)), timeoutMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve().then(() => work(signal)), aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}
