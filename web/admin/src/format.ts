// Small display helpers shared by the views.
import { ElMessage } from 'element-plus';
import { ApiError } from '../../shared/api';

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO time → `YYYY-MM-DD HH:mm:ss` in local time; '—' when empty. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A moment in China time (UTC+8) whatever the browser's zone: deadlines are the product's China-time
 * rules (platform/china-time.ts), and a browser set to UTC would otherwise show 11:00 as 03:00.
 */
export function formatChinaTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function orDash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof TypeError) return '网络异常，请检查网络后重试';
  return e instanceof Error && e.message ? e.message : '操作失败，请稍后重试';
}

/** Shows the server's message; a 401 is already handled globally (back to the login page). */
export function showError(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) return;
  ElMessage.error({ message: errorText(e), grouping: true });
}

/** Per-field messages of a failed request, keyed by request field name. */
export function fieldErrors(e: unknown): Record<string, string> {
  return e instanceof ApiError && e.fields ? { ...e.fields } : {};
}

/** True when the user dismissed an ElMessageBox (cancel / close) rather than an error occurring. */
export function isCancel(e: unknown): boolean {
  return e === 'cancel' || e === 'close';
}

export const PASSWORD_RULE_TEXT =
  '至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含用户名，不能是常见密码，不能与最近 5 次使用过的密码相同';

/**
 * The part of the server's rule (等保三级) a page can check while typing: length, classes and the
 * username. The common-password list and the last 5 passwords are checked by the server.
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 10) return '密码至少 10 位';
  if (password.length > 128) return '密码不能超过 128 位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少 3 类';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

/** Element Plus form validator built from passwordProblem. */
export function passwordValidator(_rule: unknown, value: string, callback: (e?: Error) => void): void {
  const problem = passwordProblem(value ?? '');
  callback(problem ? new Error(problem) : undefined);
}

/** The same validator, also refusing the username. */
export function passwordValidatorFor(username: () => string | undefined) {
  return (_rule: unknown, value: string, callback: (e?: Error) => void): void => {
    const problem = passwordProblem(value ?? '', username());
    callback(problem ? new Error(problem) : undefined);
  };
}

export const DUTY_LABELS: Record<string, string> = { system: '系统管理员', security: '安全管理员', audit: '审计管理员', business: '业务' };
/** Element Plus tag types per duty: the 三员 stand out from business roles. */
export const DUTY_TAG: Record<string, 'danger' | 'warning' | 'primary' | 'info'> = {
  system: 'primary',
  security: 'warning',
  audit: 'danger',
  business: 'info',
};

/** A short Chinese description of a User-Agent string, e.g. "Chrome 130 · Windows". */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return '—';
  const version = (re: RegExp) => ua.match(re)?.[1]?.split('.')[0] ?? '';
  let browser = '';
  if (/MicroMessenger/i.test(ua)) browser = '微信';
  else if (/Edg\//.test(ua)) browser = `Edge ${version(/Edg\/([\d.]+)/)}`;
  else if (/Firefox\//.test(ua)) browser = `Firefox ${version(/Firefox\/([\d.]+)/)}`;
  else if (/Chrome\//.test(ua)) browser = `Chrome ${version(/Chrome\/([\d.]+)/)}`;
  else if (/Safari\//.test(ua) && /Version\//.test(ua)) browser = `Safari ${version(/Version\/([\d.]+)/)}`;
  else if (/^curl\//.test(ua)) browser = '命令行 curl';
  let os = '';
  if (/Windows/.test(ua)) os = 'Windows';
  else if (/Android/.test(ua)) os = 'Android';
  else if (/iPhone|iPad|iPod/.test(ua)) os = 'iOS';
  else if (/Mac OS X/.test(ua)) os = 'macOS';
  else if (/Linux/.test(ua)) os = 'Linux';
  const parts = [browser.trim(), os].filter(Boolean);
  return parts.length ? parts.join(' · ') : '其他客户端';
}
