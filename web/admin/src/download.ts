// File transfers that `api()` (JSON only) does not cover: downloads saved through a blob link, and
// uploads of a raw file body. Same error shape and CSRF header as `api()`.
import { ApiError, type ApiErrorBody } from '../../shared/api';
import { csrfToken } from './session';

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function failure(res: Response): Promise<ApiError> {
  let err: ApiErrorBody['error'] | undefined;
  try {
    err = ((await res.json()) as ApiErrorBody).error;
  } catch {
    // not JSON
  }
  return new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `请求失败（${res.status}）`, err?.fields);
}

/** The file name from `content-disposition` (RFC 5987 `filename*` preferred). */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain?.[1] ?? fallback;
}

/** Fetches a file (GET, or POST with a JSON body) and saves it under the server's file name. */
export async function downloadFile(method: 'GET' | 'POST', path: string, opts: { body?: unknown; query?: Query; fallbackName?: string } = {}): Promise<string> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = csrfToken();
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;
  const res = await fetch(withQuery(path, opts.query), {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: 'same-origin',
  });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const name = fileNameOf(res, opts.fallbackName ?? 'download');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** POSTs a file as the raw request body (`application/octet-stream`), with the rest in the query. */
export async function uploadFile<T>(path: string, file: Blob, query: Query): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', accept: 'application/json' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  const res = await fetch(withQuery(path, query), { method: 'POST', headers, body: file, credentials: 'same-origin' });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}
