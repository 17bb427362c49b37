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

/** One item's outcome in a group: its own result or its own error. */
export type GroupOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Group commit for a hot row. Items submitted under a key run as groups: while `width` groups of
 * that key are running, new items queue; when one finishes, everything queued (at most `maxGroup`
 * items) runs as the next group — one statement, one transaction, one WAL flush for all of them.
 * Under no contention a group is a single item and waits for nothing. Two items with the same
 * `conflictKey` never share a group (the later one waits for the next). The enrollment rush uses it
 * so that durable commits on a batch's counter row are shared (docs/decisions/008).
 */
export function keyedGroups<T, R>(
  opts: { width: number; maxGroup: number; conflictKey?: (item: T) => string },
  run: (key: string, items: T[]) => Promise<GroupOutcome<R>[]>,
) {
  interface Waiting {
    item: T;
    resolve: (r: R) => void;
    reject: (e: unknown) => void;
  }
  const lanes = new Map<string, { running: number; queue: Waiting[] }>();
  const take = (queue: Waiting[]) => {
    const group: Waiting[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < queue.length && group.length < opts.maxGroup;) {
      const ck = opts.conflictKey?.(queue[i]!.item);
      if (ck !== undefined && seen.has(ck)) {
        i++;
        continue;
      }
      if (ck !== undefined) seen.add(ck);
      group.push(queue.splice(i, 1)[0]!);
    }
    return group;
  };
  const pump = (key: string) => {
    const lane = lanes.get(key)!;
    while (lane.running < opts.width && lane.queue.length) {
      const group = take(lane.queue);
      lane.running++;
      void Promise.resolve()
        .then(() =>
          run(
            key,
            group.map((w) => w.item),
          ),
        )
        .then(
          (outcomes) =>
            group.forEach((w, i) => {
              const o = outcomes[i];
              if (!o) w.reject(new Error('group result missing'));
              else if (o.ok) w.resolve(o.value);
              else w.reject(o.error);
            }),
          (err: unknown) => group.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          lane.running--;
          if (lane.queue.length) pump(key);
          else if (lane.running === 0) lanes.delete(key);
        });
    }
  };
  return function submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (!lanes.has(key)) lanes.set(key, { running: 0, queue: [] });
      lanes.get(key)!.queue.push({ item, resolve, reject });
      pump(key);
    });
  };
}
