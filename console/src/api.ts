import { clearKey, getKey, requestKey } from './auth';
import type { ErrorBody, FieldProblem } from './types';

/** The REST API sits one level above /console, wherever the server is mounted. */
const apiBase = new URL('../', window.location.href);

/** An answer other than 2xx/304, with the API's error body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The route itself is missing (an older server): callers hide what depends on it. */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'ROUTE_NOT_FOUND';
  }

  /** `field: message` pairs from the error's details, in the order the API gave them. */
  get problems(): FieldProblem[] {
    const d = this.details;
    const list = Array.isArray(d) ? d : d && typeof d === 'object' ? [d] : [];
    return list.flatMap((p: unknown) => {
      if (!p || typeof p !== 'object') return [];
      const { field, message } = p as { field?: unknown; message?: unknown };
      if (typeof field !== 'string') return [];
      return [{ field, message: typeof message === 'string' ? message : this.message }];
    });
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  etag: string | null;
}

interface RequestOptions {
  body?: unknown;
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  /** Accept these non-2xx statuses as data (e.g. 503 from /health). */
  accept?: number[];
}

/**
 * Calls the public REST API. A 401 asks the user for a key once (kept in session storage)
 * and retries; other failures throw {@link ApiError}.
 */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  for (;;) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    const key = getKey();
    if (key) headers.authorization = `Bearer ${key}`;
    let res: Response;
    try {
      res = await fetch(new URL(path.replace(/^\//, ''), apiBase), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The server did not answer (is it running?)');
    }
    if (res.status === 401) {
      const error = await toApiError(res);
      if (key) clearKey();
      // The user may decline: then the 401 is shown where the request was made.
      if (await requestKey(key ? 'rejected' : 'required', error.message)) continue;
      throw error;
    }
    if (res.status === 304)
      return { status: 304, body: undefined as T, etag: res.headers.get('etag') };
    if (!res.ok && !options.accept?.includes(res.status)) throw await toApiError(res);
    const text = await res.text();
    const body = (text ? JSON.parse(text) : undefined) as T;
    return { status: res.status, body, etag: res.headers.get('etag') };
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // Not JSON (a proxy page, say): the status line is all there is.
  }
  const fallback =
    res.status === 403
      ? 'Forbidden: this key may not do that'
      : `${res.status} ${res.statusText || 'Error'}`;
  return new ApiError(
    res.status,
    body.code ?? `HTTP_${res.status}`,
    body.message ?? fallback,
    body.details,
  );
}

/** Where the MCP and REST endpoints of this server live, for snippets. */
export function apiUrl(path: string): string {
  return new URL(path.replace(/^\//, ''), apiBase).toString();
}
