// At most `width` tasks at a time per key; the rest wait here, in order. The enrollment rush uses it
// so that a batch's counter row has a few claimants in PostgreSQL at once, not the whole
// connection pool: every commit wakes every waiter on the row, so a long queue there costs CPU
// per claim that a queue in the process does not (docs/decisions/008).
export function keyedGate(width: number) {
  const lanes = new Map<string, { running: number; waiting: (() => void)[] }>();
  return async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { running: 0, waiting: [] }));
    if (lane.running >= width) await new Promise<void>((resolve) => lane!.waiting.push(resolve));
    else lane.running++;
    try {
      return await task();
    } finally {
      const next = lane.waiting.shift();
      if (next) next();
      else if (--lane.running === 0) lanes.delete(key);
    }
  };
}
