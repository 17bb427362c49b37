// Which steps may be approved in a batch: a review step offering 通过, not an aid service's last step
// (its 核定金额 is decided per application), never a lottery step.
import { describe, expect, it } from 'vitest';
import { batchApprovable } from './applications.queue.js';

const review = (actions: string[]) => ({ key: 'k', name: '审核', kind: 'review', level: 'county', slaDays: 3, actions });
const row = (snapshot: unknown, step_index: number | null, status = 'in_review') => ({ snapshot, step_index, status });

describe('batchApprovable', () => {
  it('allows a review step that offers 通过', () => {
    expect(batchApprovable(row({ steps: [review(['approve', 'return'])] }, 0))).toBe(true);
  });
  it('refuses the last step of an aid service, but not its earlier steps', () => {
    const snap = { steps: [review(['approve']), review(['approve'])], aid: { fundCode: 'x', maxAmount: '1000.00' } };
    expect(batchApprovable(row(snap, 1))).toBe(false);
    expect(batchApprovable(row(snap, 0))).toBe(true);
  });
  it('refuses lottery steps, steps without 通过, and anything not in review', () => {
    expect(batchApprovable(row({ steps: [{ ...review(['approve']), kind: 'lottery' }] }, 0))).toBe(false);
    expect(batchApprovable(row({ steps: [review(['return', 'reject'])] }, 0))).toBe(false);
    expect(batchApprovable(row({ steps: [review(['approve'])] }, 0, 'returned'))).toBe(false);
    expect(batchApprovable(row({ steps: [review(['approve'])] }, null))).toBe(false);
  });
});
