import { CallCancelledError, ToolTimeoutError } from '@app/core';

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (or when the caller's signal,
 * `origin.signal`, aborts: the client went away, and the call ends with
 * {@link CallCancelledError}), and settles as soon as that happens even if the executor
 * ignores the signal: a stuck handler can cost a timer, never a hung request.
 *
 * `work` gets the signal through a function, and the AbortController behind it is made
 * only when asked for or when the call goes asynchronous; the caller's signal is read only
 * then too. An executor that answers synchronously (most built-in tools) costs no controller,
 * no listener, no timer, no race: nothing can interrupt it anyway.
 */
export async function withCallTimeout<T>(
  tool: string,
  timeoutMs: number,
  origin: { readonly signal?: AbortSignal },
  work: (signal: () => AbortSignal) => Promise<T> | T,
): Promise<T> {
  let controller: AbortController | undefined;
  const pending = work(() => (controller ??= new AbortController()).signal);
  if (!isPromiseLike(pending)) return pending;
  const own = (controller ??= new AbortController());
  const { signal } = own;
  // One controller for both causes: the caller going away is forwarded to it by hand,
  // which costs a listener where AbortSignal.any() would cost weak references per call.
  const outer = origin.signal;
  const forward = () => own.abort(new CallCancelledError(tool));
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => own.abort(new ToolTimeoutError(tool, timeoutMs)), timeoutMs);
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
