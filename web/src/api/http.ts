import { authFetch } from '../auth/session';

/** A refused API call, carrying the server's own explanation (Problem Details `detail`, else `title`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function errorOf(r: Response): Promise<ApiError> {
  let message = `${r.status} ${r.statusText}`;
  try {
    const body = (await r.json()) as { detail?: string; title?: string; error?: string };
    message = body.detail ?? body.title ?? body.error ?? message;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status line is all there is.
  }
  return new ApiError(r.status, message);
}

/** Calls the API with the session's token; JSON in and out; a non-2xx answer becomes an ApiError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await authFetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (!r.ok) throw await errorOf(r);
  if (r.status === 204) return undefined as T;
  const text = await r.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a protected file (the report PDF) as a Blob, since a plain link would carry no bearer token. */
export async function apiBlob(path: string): Promise<Blob> {
  const r = await authFetch(path);
  if (!r.ok) throw await errorOf(r);
  return r.blob();
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
