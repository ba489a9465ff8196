import { CallCancelledError, ToolTimeoutError } from '../errors/tool-errors.js';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (or when `outer`, the client's
 * request, aborts: then the call ends with {@link CallCancelledError}),
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
  if (outer?.aborted) throw new CallCancelledError(tool);
  // One controller for both causes: the caller going away is forwarded to it by hand,
  // which costs a listener where AbortSignal.any() would cost weak references per call.
  const controller = new AbortController();
  const { signal } = controller;
  const forward = () => controller.abort(new CallCancelledError(tool));
  outer?.addEventListener('abort', forward, { once: true });
  let pending: Promise<T> | T;
  try {
    pending = work(signal);
  } catch (err) {
    outer?.removeEventListener('abort', forward);
    throw err;
  }
  if (!isPromiseLike(pending)) {
    outer?.removeEventListener('abort', forward);
    return pending;
  }
  const timer = setTimeout(
    () => controller.abort(new ToolTimeoutError(tool, timeoutMs)),
    timeoutMs,
  );
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
    outer?.removeEventListener('abort', forward);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}

function isPromiseLike<T>(value: Promise<T> | T): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
