/** The API key lives in session storage only: it is gone when the tab closes. */
const STORAGE_KEY = 'mcp-console.api-key';

export function getKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

const keyListeners = new Set<() => void>();

/** Calls `listener` whenever the key is set or forgotten; returns the unsubscribe function. */
export function onKeyChange(listener: () => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

export function setKey(key: string): void {
  window.sessionStorage.setItem(STORAGE_KEY, key);
  keyListeners.forEach((l) => l());
}

export function clearKey(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
  keyListeners.forEach((l) => l());
}

export interface KeyPrompt {
  reason: 'required' | 'rejected';
  message: string;
  /** Stores the key and retries the waiting requests, or gives up on them. */
  answer(key: string | null): void;
}

type Listener = (prompt: KeyPrompt | null) => void;
let listener: Listener | undefined;
let pending: Promise<boolean> | undefined;

/** The app shows the key dialog when this listener is called with a prompt. */
export function onKeyPrompt(l: Listener): void {
  listener = l;
}

/**
 * Asks for a key once, however many requests are waiting for it; resolves true when one
 * was given (retry) and false when the user declined.
 */
export function requestKey(reason: KeyPrompt['reason'], message: string): Promise<boolean> {
  if (pending) return pending;
  if (!listener) return Promise.resolve(false);
  const show = listener;
  pending = new Promise<boolean>((resolve) => {
    show({
      reason,
      message,
      answer(key) {
        pending = undefined;
        show(null);
        if (key) setKey(key);
        resolve(Boolean(key));
      },
    });
  });
  return pending;
}
