// The server's logger. Request logging is one line per request, written when the answer is sent:
// method, route pattern (never the raw URL: query strings carry phone numbers and names), status,
// milliseconds — no bodies. Lines are written asynchronously: while one write is in flight the next
// lines gather and go out together (no write per line under load, no line held back when quiet);
// pino flushes what is pending when the process exits.
// Every line written while a request is handled carries its id (`reqId`): Fastify's request logger
// binds it, and the mixin below adds it to lines written through any other logger — a service's, a
// job's — from the request's AsyncLocalStorage store (platform/request-context.ts, decision 035).
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { currentRequest } from './request-context.js';

const NOTHING: Record<string, never> = Object.freeze({}) as Record<string, never>;
const chindingsSym = pino.symbols.chindingsSym as unknown as symbol;

/**
 * pino `mixin`: `{ reqId }` while a request is handled, nothing otherwise. A logger that already
 * binds `reqId` (Fastify's per-request child, `req.log`) gets nothing, or the line would say it twice.
 */
export function requestIdMixin(_obj: object, _level: number, logger: unknown): Record<string, string> {
  const store = currentRequest();
  if (!store) return NOTHING;
  const bound = (logger as Record<symbol, unknown> | undefined)?.[chindingsSym];
  if (typeof bound === 'string' && bound.includes('"reqId":')) return NOTHING;
  return { reqId: store.reqId };
}

/** pino's default merge assigns the line's fields into the mixin's object: NOTHING is shared, so skip it (and the copy). */
function mixinMergeStrategy(mergeObject: object, mixinObject: object): object {
  return mixinObject === NOTHING ? mergeObject : Object.assign(mixinObject, mergeObject);
}

export type LogFormat = 'json' | 'text';

/**
 * `LOG_FORMAT=json|text`; unset: JSON lines in production (for the log collector), one readable
 * Chinese line each everywhere else (the console of `npm start`). Anything else is refused.
 */
export function logFormatFrom(raw: string | undefined, env: 'development' | 'production' | 'test'): LogFormat {
  if (raw === undefined || raw === '') return env === 'production' ? 'json' : 'text';
  if (raw === 'json' || raw === 'text') return raw;
  throw new Error(`LOG_FORMAT 无效：${raw}（可选 json 或 text）`);
}

const LEVEL_WORDS: Record<number, string> = { 10: '跟踪', 20: '调试', 30: '信息', 40: '警告', 50: '错误', 60: '致命' };
const two = (n: number) => String(n).padStart(2, '0');

/** One pino JSON line as a line for people: time, level word, message (a request: method, route, status, ms); an error's stack below. */
export function textLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `${json}\n`; // not a log line: as it is
  }
  const d = new Date(typeof o.time === 'number' ? o.time : Date.now());
  const at = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const word = LEVEL_WORDS[o.level as number] ?? String(o.level);
  const msg = o.msg === 'req' ? `${String(o.m)} ${String(o.r)} ${String(o.s)} ${String(o.ms)}ms` : String(o.msg ?? '');
  const err = o.err as { stack?: string; message?: string } | undefined;
  return `${at} ${word} ${msg}${o.reqId ? ` [${String(o.reqId).slice(0, 8)}]` : ''}${err ? `\n${err.stack ?? err.message ?? ''}` : ''}\n`;
}

/** The asynchronous writer, each line turned into text first (the same buffered writes as JSON). */
class TextStream {
  constructor(private readonly dest: { write(s: string): boolean }) {}
  write(s: string): boolean {
    return this.dest.write(s.split('\n').filter(Boolean).map(textLine).join(''));
  }
  /** Text for people (the banner), blank lines and all, behind the lines already queued. */
  writeRaw(s: string): void {
    this.dest.write(s);
  }
  flushSync(): void {
    (this.dest as unknown as { flushSync?: () => void }).flushSync?.();
  }
}

/** `stream`: where the lines go instead of stdout / `dest` (tests capture them, always JSON). `format`: see logFormatFrom. */
export function createServerLogger(opts: { level: string; format?: LogFormat; dest?: number | string; stream?: DestinationStream }): Logger {
  const base: LoggerOptions = { level: opts.level, mixin: requestIdMixin, mixinMergeStrategy };
  if (opts.stream) return pino(base, opts.stream);
  const dest = pino.destination({ dest: opts.dest ?? 1, sync: false });
  if (opts.format === 'text') return pino(base, new TextStream(dest) as unknown as DestinationStream);
  return pino(base, dest);
}

/**
 * Prints text for people (the start-up banner) after every log line written before it: into the
 * log's own stream when it is the asynchronous file/stdout writer (console.log would overtake the
 * lines still queued there), to the console otherwise.
 */
export function printAfterLogs(logger: Logger, text: string): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    { constructor: { name: string }; write(s: string): void } | undefined;
  if (stream instanceof TextStream) stream.writeRaw(`${text}\n`);
  else if (stream?.constructor.name === 'SonicBoom') stream.write(`${text}\n`);
  else console.log(text);
}

/**
 * One log line per answered request instead of Fastify's two (incoming + completed, each with the raw
 * URL and headers): method, route pattern, status, milliseconds; failures at error level with the error.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { m: req.method, r: req.routeOptions.url ?? '(no route)', s: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'req');
    else reply.log.info(line, 'req');
  }
}
