// The worker's login state and where they stand: one answer (GET /api/session/worker on a cold
// load, GET /api/worker/state after) that 首页, 我的, 入会 and 会员卡 all read, so every page agrees
// (issue 11). The probe answers 200 whether signed in or not: a cold load logs no 401.
import { reactive } from 'vue';
import { api, ApiError, setCsrfToken } from '../../shared/api';

export interface Worker {
  id: string;
  phoneMasked: string;
  memberStatus: string | null;
}

/** GET /api/worker/state. */
export interface WorkerState {
  worker: { id: string; phoneMasked: string };
  memberStatus: string | null;
  member: { name: string; nameMasked: string; memberNo: string | null; orgName: string; joinedOn: string; status: string; statusLabel: string } | null;
  application: {
    id: string;
    status: string;
    statusLabel: string;
    open: boolean;
    targetOrgName: string;
    where: string;
    submittedAt: string;
    reviewedAt: string | null;
    rejectReason: string | null;
  } | null;
  unreadMessages: number;
  /** One person on the roll has this login phone, typed by staff or imported: claim by ID number (decision 044). */
  claim: { unionName: string; nameMasked: string } | null;
}

type ProbeResponse = { loggedIn: false } | { loggedIn: true; csrfToken: string; state: WorkerState };

interface LoginResponse {
  worker: { id: string; phoneMasked: string };
  csrfToken: string;
}

export interface SmsCodeResponse {
  sent: boolean;
  resendAfter: number;
  demoCode?: string;
}

export const session = reactive<{ worker: Worker | null; state: WorkerState | null; checked: boolean }>({
  worker: null,
  state: null,
  checked: false,
});

function applyState(state: WorkerState): void {
  session.state = state;
  session.worker = { id: state.worker.id, phoneMasked: state.worker.phoneMasked, memberStatus: state.memberStatus };
  session.checked = true;
}

/** Asks again where the worker stands (after joining, a message read, a profile change …). */
export async function refreshState(): Promise<WorkerState> {
  const state = await api<WorkerState>('GET', '/worker/state');
  applyState(state);
  return state;
}

let pending: Promise<Worker | null> | null = null;

/** True while the session probe is on its way (a 401 then is handled by the caller). */
export function isCheckingSession(): boolean {
  return pending !== null;
}

export function clearSession(): void {
  session.worker = null;
  session.state = null;
  sessionStorage.removeItem(LOGIN_PHONE_KEY);
  session.checked = true;
  setCsrfToken(null);
}

/**
 * Who is signed in and where they stand. Asks the server once per page load (or again with
 * `force`); resolves to null when nobody is. Other failures (network, 5xx) reject.
 */
export function loadSession(force = false): Promise<Worker | null> {
  if (session.checked && !force) return Promise.resolve(session.worker);
  if (!pending) {
    pending = api<ProbeResponse>('GET', '/session/worker')
      .then((res) => {
        if (!res.loggedIn) {
          clearSession();
          return null;
        }
        setCsrfToken(res.csrfToken);
        applyState(res.state);
        return session.worker;
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          clearSession();
          return null;
        }
        throw err;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

export function sendSmsCode(phone: string): Promise<SmsCodeResponse> {
  return api<SmsCodeResponse>('POST', '/worker/sms-code', { phone });
}

export async function login(phone: string, code: string): Promise<Worker> {
  const res = await api<LoginResponse>('POST', '/worker/login', { phone, code });
  setCsrfToken(res.csrfToken);
  sessionStorage.setItem(LOGIN_PHONE_KEY, phone);
  session.worker = { memberStatus: null, ...res.worker };
  session.checked = true;
  // Where the new session stands (a member on the roll is linked by phone here); the pages show it.
  await refreshState().catch(() => undefined);
  return session.worker;
}

export async function logout(): Promise<void> {
  try {
    await api<{ ok: true }>('POST', '/worker/logout', {});
  } catch (err) {
    // Already signed out on the server: nothing more to do.
    // Any other failure keeps the local state so the user can try again.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  clearSession();
}

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** The phone this tab signed in with (the join form needs it in full; the server only gives it masked). */
const LOGIN_PHONE_KEY = 'gh_login_phone';
export function loginPhone(): string | null {
  const phone = sessionStorage.getItem(LOGIN_PHONE_KEY);
  const masked = session.worker?.phoneMasked;
  return phone && masked && `${phone.slice(0, 3)}****${phone.slice(7)}` === masked ? phone : null;
}
