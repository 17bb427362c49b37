// The server's logger. Request logging is one line per request, written when the answer is sent:
// method, route pattern (never the raw URL: query strings carry phone numbers and names), status,
// milliseconds — no bodies. Lines are buffered and written in blocks (not one write per line);
// pino flushes what is buffered when the process exits.
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';

export function createServerLogger(opts: { level: string; pretty?: boolean; dest?: number | string }): Logger {
  if (opts.pretty) {
    return pino({ level: opts.level, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  }
  return pino({ level: opts.level }, pino.destination({ dest: opts.dest ?? 1, sync: false, minLength: 4096 }));
}

/** One log line per answered request (Fastify's own request logging is off: it writes two, with the raw URL). */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info({ m: req.method, r: req.routeOptions.url ?? '(no route)', s: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'req');
    done();
  });
}
