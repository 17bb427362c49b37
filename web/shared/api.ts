// One fetch wrapper for both front ends: JSON in and out, the CSRF header on every
// state-changing request, and the server's error shape turned into an ApiError.

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 (session ended, idle timeout …). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

let onPasswordChangeRequired: (() => void) | null = null;

/** Called when any request answers 403 PASSWORD_CHANGE_REQUIRED (first sign-in, or a reset by an administrator). */
export function setPasswordChangeRequiredHandler(handler: () => void): void {
  onPasswordChangeRequired = handler;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Record<string, string | number | boolean | undefined | null>,
): Promise<T> {
  let url = path.startsWith('/api') ? path : `/api${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  // A file (Blob) goes as the raw request body with its own type; anything else as JSON.
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? (body as Blob).type || 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : raw ? (body as Blob) : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (data as ApiErrorBody | undefined)?.error;
    if (res.status === 401 && onUnauthenticated) onUnauthenticated();
    if (res.status === 403 && err?.code === 'PASSWORD_CHANGE_REQUIRED' && onPasswordChangeRequired) onPasswordChangeRequired();
    throw new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `请求失败（${res.status}）`, err?.fields);
  }
  return data as T;
}
