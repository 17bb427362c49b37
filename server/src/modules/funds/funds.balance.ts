// The rule that keeps every union's balance from going below zero (decision 034): a 下拨 or a spending row
// takes the union's ledger lock (an advisory lock held to the end of the caller's transaction), reads the
// available balance over all time (own shares + 下拨 received + 会费 − 下拨 made − spending − aid paid) and
// refuses an amount larger than it. There is no override: a union short of money asks its parent for a 下拨.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { invalid } from '../../platform/errors.js';
import { fromFen } from '../../platform/money.js';
import { fundsRepository as repo } from './funds.repository.js';

export async function drawOn(trx: Transaction<DB>, org: { id: string; name: string }, amount: bigint, field: string, what: string) {
  await repo.lockLedger(trx, org.id);
  const available = await repo.balance(trx, org.id);
  if (amount <= available) return;
  const message = `${org.name}可用经费余额为 ${fromFen(available > 0n ? available : 0n)} 元，不足以${what} ${fromFen(amount)} 元`;
  throw invalid({ [field]: message }, message);
}
