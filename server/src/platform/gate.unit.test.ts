import { describe, expect, it } from 'vitest';
import { keyedGate, keyedGroups, type GroupOutcome } from './gate.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('keyedGate', () => {
  it('runs at most `width` tasks per key at once, in arrival order; other keys are not held up', async () => {
    const run = keyedGate(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      return n;
    };
    const other = run('b', async () => 'other');
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => run('a', task(n))));
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await other).toBe('other');
  });

  it('a failing task frees its slot', async () => {
    const run = keyedGate(1);
    await expect(run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await run('k', async () => 'next')).toBe('next');
  });
});

describe('keyedGroups', () => {
  /** A run whose groups finish when the test says so; records every group it was given. */
  function controlled() {
    const groups: string[][] = [];
    const finish: (() => void)[] = [];
    const submit = keyedGroups<string, string>({ width: 1, maxGroup: 3, conflictKey: (x) => x.split(':')[0]! }, async (key, items) => {
      groups.push(items);
      await new Promise<void>((r) => finish.push(r));
      return items.map((x): GroupOutcome<string> => (x.endsWith('!') ? { ok: false, error: new Error(`bad ${x}`) } : { ok: true, value: `${key}/${x}` }));
    });
    return { groups, finish, submit };
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('runs the first item at once; what arrives meanwhile goes in as the next groups (at most maxGroup, in arrival order)', async () => {
    const c = controlled();
    const all = ['a', 'b', 'c', 'd', 'e'].map((x) => c.submit('k', x));
    await settle();
    expect(c.groups).toEqual([['a']]);
    c.finish.shift()!();
    await settle();
    expect(c.groups).toEqual([['a'], ['b', 'c', 'd']]);
    c.finish.shift()!();
    await settle();
    c.finish.shift()!();
    expect(await Promise.all(all)).toEqual(['k/a', 'k/b', 'k/c', 'k/d', 'k/e']);
    expect(c.groups).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  });

  it('never puts two items with the same conflict key in one group; each item gets its own outcome', async () => {
    const c = controlled();
    const first = c.submit('k', 'p1:x');
    await settle();
    const rest = [c.submit('k', 'p2:y'), c.submit('k', 'p2:z'), c.submit('k', 'p3:w!')];
    const settled = Promise.allSettled(rest);
    c.finish.shift()!();
    await settle();
    expect(c.groups).toEqual([['p1:x'], ['p2:y', 'p3:w!']]);
    c.finish.shift()!();
    await settle();
    expect(c.groups).toEqual([['p1:x'], ['p2:y', 'p3:w!'], ['p2:z']]);
    c.finish.shift()!();
    expect(await first).toBe('k/p1:x');
    const out = await settled;
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((out[2] as PromiseRejectedResult).reason).toEqual(new Error('bad p3:w!'));
  });

  it('a failing group rejects its items and frees its slot; other keys are not held up', async () => {
    let fail = true;
    const submit = keyedGroups<number, number>({ width: 1, maxGroup: 10 }, async (_key, items) => {
      if (fail) throw new Error('lost');
      return items.map((n) => ({ ok: true, value: n * 2 }));
    });
    await expect(submit('k', 1)).rejects.toThrow('lost');
    fail = false;
    expect(await Promise.all([submit('k', 2), submit('other', 3)])).toEqual([4, 6]);
  });
});
