import { describe, expect, it } from 'vitest';
import { startBackgroundJob } from './background-job.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startBackgroundJob', () => {
  it('runs at start and on its timer, never two runs at once; a failure does not stop it; stop waits for the run in flight', async () => {
    let runs = 0;
    let concurrent = 0;
    let peak = 0;
    const errors: unknown[] = [];
    const job = startBackgroundJob(
      'test',
      async () => {
        runs++;
        concurrent++;
        peak = Math.max(peak, concurrent);
        await sleep(25);
        concurrent--;
        if (runs === 2) throw new Error('second run fails');
      },
      { everyMs: 10, atStart: true, onError: (err) => errors.push(err) },
    );
    expect(runs).toBe(1);
    await sleep(120);
    await job.stop();
    const after = runs;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(peak).toBe(1);
    expect(concurrent).toBe(0);
    expect(errors).toHaveLength(1);
    await sleep(40);
    expect(runs).toBe(after);
  });
});
