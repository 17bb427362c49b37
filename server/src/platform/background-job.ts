// A job the server runs on a timer (reminders, clean-ups, audit sealing): at start if asked, then
// every `everyMs`; a run is skipped while the previous one is still going; a failure is reported and
// the next run tries again; the timer never keeps the process alive; `stop` waits for a run in flight.
export interface BackgroundJob {
  stop(): Promise<void>;
}

export function startBackgroundJob(
  name: string,
  run: () => Promise<unknown>,
  opts: { everyMs: number; atStart?: boolean; onError?: (err: unknown) => void },
): BackgroundJob {
  const onError = opts.onError ?? ((err: unknown) => console.error(`${name} failed`, err));
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = run()
      .catch(onError)
      .finally(() => (running = null));
  };
  if (opts.atStart) tick();
  const timer = setInterval(tick, opts.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
