import { describe, expect, it } from 'vitest';
import { keyedGate } from './gate.js';

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
