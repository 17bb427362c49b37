// Text hygiene for every request (issue 9): characters that have no business in a form field are
// refused with the field named, and every string is stored NFC-normalised. One hook, for all routes.
//
// Refused: NUL and the other C0 controls except tab/LF/CR (and DEL) — PostgreSQL cannot store NUL
// and the rest only hide text; lone UTF-16 surrogates (not text at all: they break encoders and
// exports); bidi overrides/isolates U+202A–U+202E, U+2066–U+2069 (they make a name or an ID number
// display as something else); zero-width characters U+200B–U+200D, U+2060, U+FEFF (they make two
// values that look the same differ — a duplicate check or a search would miss them).
import type { FastifyRequest } from 'fastify';
import type { App } from './context.js';
import { AppError } from './errors.js';

/** One precompiled test per string; the surrogate alternatives find a half pair with nothing next to it. */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** ASCII is already NFC: only other strings are normalised. */
const NON_ASCII = /[^\u0000-\u007F]/;

const MAX_DEPTH = 32;
export const NESTING_MESSAGE = '嵌套层级过深';
export const FORBIDDEN_TEXT_MESSAGE = '包含不允许的字符（控制字符、零宽字符、文字方向控制符或残缺的 Unicode 字符），请删除后重试';

export function hasForbiddenChars(s: string): boolean {
  return FORBIDDEN.test(s);
}

/** The string NFC-normalised, or null when it holds a refused character. */
export function cleanText(s: string): string | null {
  if (FORBIDDEN.test(s)) return null;
  return NON_ASCII.test(s) ? s.normalize('NFC') : s;
}

/** Length in Unicode code points (a CJK Extension B character is one, not two UTF-16 units). */
export function codePointLength(s: string): number {
  return [...s].length;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Object]';

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/**
 * Cleans a parsed JSON value / query / params object in place (strings NFC, keys too) and records
 * each refused string under its dotted path (`person.name`, `items.0.text`) — the same names the
 * schema errors use. Buffers (raw-body uploads) are left alone.
 */
export function cleanInput(value: unknown, path: string, problems: Record<string, string>, depth = 0): unknown {
  if (typeof value === 'string') {
    const c = cleanText(value);
    if (c === null) {
      problems[path] ??= FORBIDDEN_TEXT_MESSAGE;
      return value;
    }
    return c;
  }
  if (depth > MAX_DEPTH) {
    // The JSON parser has no depth limit; no form nests this deep, and what is below is not checked.
    if (typeof value === 'object' && value !== null) problems[path] ??= NESTING_MESSAGE;
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanInput(value[i], join(path, i), problems, depth + 1);
    return value;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const at = join(path, key);
      const cleaned = cleanInput(value[key], at, problems, depth + 1);
      const k = cleanText(key);
      // A refused key is reported on its object (echoing the key would echo the character).
      if (k === null) problems[path] ??= FORBIDDEN_TEXT_MESSAGE;
      else if (k !== key) {
        delete value[key];
        value[k] = cleaned;
        continue;
      }
      value[key] = cleaned;
    }
  }
  return value;
}

/** Runs on every request before validation: query, path params and a parsed body. */
export function checkRequestText(req: FastifyRequest): void {
  const fields: Record<string, string> = {};
  const part = (name: 'params' | 'querystring' | 'body', value: unknown) => {
    const problems: Record<string, string> = {};
    const cleaned = cleanInput(value, '', problems);
    // A refused top-level key, or a body that is one bad string, is named by its part.
    for (const [path, message] of Object.entries(problems)) fields[path || name] ??= message;
    return cleaned;
  };
  part('params', req.params);
  part('querystring', req.query);
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) req.body = part('body', req.body);
  if (Object.keys(fields).length) {
    const said = Object.entries(fields).map(([field, message]) => `${field} ${message}`);
    throw new AppError('VALIDATION_FAILED', `请求参数有误：${said.join('；')}`, fields);
  }
}

/**
 * Registers the check as a preValidation hook. Register it after the access control: partner
 * requests are signed over their raw bytes, which the partner hook verifies first (the signature is
 * over `partnerRawBody`, untouched here); only the parsed copy is normalised.
 */
export function registerTextHygiene(app: App): void {
  app.addHook('preValidation', async (req) => checkRequestText(req));
}
