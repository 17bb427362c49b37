// One error shape everywhere: { error: { code, message, fields? } } with a Chinese message.
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ACCOUNT_LOCKED'
  /** The account must change its password first (first sign-in or a reset): only me, the change and logout answer. */
  | 'PASSWORD_CHANGE_REQUIRED'
  /** Refused by the 三员 duty matrix (docs/decisions/010). */
  | 'DUTY_SEPARATION'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'FONT_MISSING'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ACCOUNT_LOCKED: 423,
  PASSWORD_CHANGE_REQUIRED: 403,
  DUTY_SEPARATION: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  /** The server lacks something to draw with (a CJK font for posters). */
  FONT_MISSING: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const conflict = (message = '数据已被他人修改，请刷新后重试') => new AppError('CONFLICT', message);
export const invalid = (fields: Record<string, string>, message?: string) =>
  new AppError('VALIDATION_FAILED', message ?? `请求参数有误：${Object.values(fields).join('；')}`, fields);

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
