// The server's logger. Request logging is one line per request, written when the answer is sent:
// method, route pattern (never the raw URL: query strings carry phone numbers and names), status,
// milliseconds — no bodies. Lines are written asynchronously: while one write is in flight the next
// lines gather and go out together (no write per line under load, no line held back when quiet);
// pino flushes what is pending when the process exits.
import pino, { type Logger } from 'pino';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export function createServerLogger(opts: { level: string; pretty?: boolean; dest?: number | string }): Logger {
  if (opts.pretty) {
    return pino({ level: opts.level, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino({ level: opts.level }, pino.destination({ dest: opts.dest ?? 1, sync: false }));
}

/**
 * Prints text for people (the start-up banner) after every log line written before it: into the
 * log's own stream when it is the asynchronous file/stdout writer (console.log would overtake the
 * lines still queued there), to the console otherwise.
 */
export function printAfterLogs(logger: Logger, text: string): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    { constructor: { name: string }; write(s: string): void } | undefined;
  if (stream?.constructor.name === 'SonicBoom') stream.write(`${text}\n`);
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
