// The signed-in staff account, shared by every view. Restored once from GET /api/session/staff.
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from '../../shared/api';
import type { AuthResponse, Me } from './types';

interface SessionState {
  account: Me | null;
  /** True once the initial GET /api/session/staff has answered (either way). */
  restored: boolean;
}

export const session = reactive<SessionState>({ account: null, restored: false });

let restoring: Promise<void> | null = null;
let loggingOut = false;

/** True while POST /api/auth/logout is in flight (a 401 then is not an "expired session"). */
export function isLoggingOut(): boolean {
  return loggingOut;
}

/**
 * Restores the session from the cookie. Asks the session probe, which answers 200 either way, so a
 * cold load of the login page logs no 401 in the browser console (issue 11, item 14).
 */
export function restoreSession(): Promise<void> {
  restoring ??= api<{ loggedIn: false } | ({ loggedIn: true } & AuthResponse)>('GET', '/api/session/staff')
    .then((r) => (r.loggedIn ? signedIn(r) : signedOut()))
    .catch((e: unknown) => {
      if (!(e instanceof ApiError) || e.status !== 401) console.error('恢复登录状态失败', e);
      signedOut();
    })
    .finally(() => {
      session.restored = true;
    });
  return restoring;
}

export async function login(username: string, password: string): Promise<Me> {
  const r = await api<AuthResponse>('POST', '/api/auth/login', { username, password });
  signedIn(r);
  return r.account;
}

export async function logout(): Promise<void> {
  loggingOut = true;
  try {
    await api('POST', '/api/auth/logout', {});
  } finally {
    signedOut();
    loggingOut = false;
  }
}

let currentCsrf: string | null = null;

/** The CSRF token of the session, for requests made without `api()` (file uploads and downloads). */
export function csrfToken(): string | null {
  return currentCsrf;
}

/** A day in China time (YYYY-MM-DD) of a moment in ms. */
const chinaDayOf = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
/** The server's today minus the browser's, in ms (whole days; 0 until signed in): the product's today is the server's. */
let dayShift = 0;

/** The product's today (China time, the server's clock as told at sign-in, carried past midnight): for default dates. */
export function serverToday(): string {
  return chinaDayOf(serverNow());
}

/** The year of the product's today: the default of year filters. */
export function serverYear(): number {
  return Number(serverToday().slice(0, 4));
}

/**
 * The product's now in ms: the browser's clock moved by the whole days between its day and the server's,
 * so what is "already closed" or "overdue" by a deadline follows the server's day (the time of day stays the browser's).
 */
export function serverNow(): number {
  return Date.now() + dayShift;
}

export function signedIn(r: AuthResponse): void {
  const told = Date.parse(r.account.today);
  dayShift = Number.isNaN(told) ? 0 : told - Date.parse(chinaDayOf(Date.now()));
  setCsrfToken(r.csrfToken);
  currentCsrf = r.csrfToken;
  session.account = r.account;
  session.restored = true;
}

export function signedOut(): void {
  setCsrfToken(null);
  currentCsrf = null;
  session.account = null;
}

/** Whether the current account holds the permission (e.g. `org:write`), or any one of a list. */
export function can(permission: string | readonly string[]): boolean {
  const held = session.account?.permissions ?? [];
  return typeof permission === 'string' ? held.includes(permission) : permission.some((p) => held.includes(p));
}
