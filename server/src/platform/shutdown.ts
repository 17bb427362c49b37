// Closing drains: once app.close() begins, Fastify stops accepting, answers 503 to new requests on
// open connections and waits for the ones in flight. A connection whose request was in flight stays
// open after its answer (HTTP keep-alive: nginx's upstream connections, browsers) until the
// keep-alive timeout — 72 s — and server.close() waits for it. So while closing, idle connections
// are closed every 100 ms: each in-flight request ends its connection once answered. Nothing runs
// per request.
import type { App } from './context.js';

export function registerDrain(app: App, everyMs = 100): void {
  let timer: NodeJS.Timeout | null = null;
  app.addHook('preClose', (done) => {
    if (app.server.listening) {
      timer = setInterval(() => app.server.closeIdleConnections(), everyMs);
      timer.unref();
    }
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    if (timer) clearInterval(timer);
    done();
  });
}
