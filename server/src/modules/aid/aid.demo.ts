// Demo budgets (npm start only): this year's aid budgets for the city, 东台市 and 射阳县, so the
// demo flow (困难帮扶 approved → aid recorded against the fund) can pay.
import { chinaYear } from '../../platform/china-time.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AidFundCode } from '../../db/schema-aid.js';
import { aidRepository } from './aid.repository.js';

const DEMO: { org: string; budgets: Partial<Record<AidFundCode, string>> }[] = [
  { org: '盐城市总工会', budgets: { living: '500000.00', medical: '300000.00', education: '200000.00', warmth: '300000.00' } },
  { org: '东台市总工会', budgets: { living: '200000.00', medical: '150000.00', education: '100000.00', warmth: '100000.00' } },
  { org: '射阳县总工会', budgets: { living: '150000.00', medical: '100000.00', education: '80000.00', warmth: '80000.00' } },
];

export async function seedAidDemo(db: Kysely<DB>, now: Date): Promise<string | null> {
  const year = chinaYear(now);
  // The year's budgets are allocated at its start (08:30 on 1 January, China time), before any
  // payment of the demo story (the earliest is clamped to 09:00 that day) — never at seed time.
  const allocatedAt = new Date(Math.min(Date.parse(`${year}-01-01T08:30:00+08:00`), now.getTime()));
  let count = 0;
  for (const d of DEMO) {
    const org = await aidRepository.orgByName(db, d.org);
    if (!org) continue;
    for (const [fundCode, amount] of Object.entries(d.budgets) as [AidFundCode, string][]) {
      const b = await aidRepository.insertBudget(db, { org_id: org.id, year, fund_code: fundCode, amount, updated_at: allocatedAt });
      if (!b) continue;
      await aidRepository.insertMovement(db, {
        budget_id: b.id,
        kind: 'allocation',
        amount,
        balance_after: amount,
        // allocated from above (decision 045): the city union for the counties and, having nobody above, for itself
        reason: `${year} 年度帮扶资金预算（盐城市总工会下达，演示数据）`,
        actor_name: '盐城市总工会（演示数据）',
        at: allocatedAt,
      });
      count++;
    }
  }
  return count ? `${count} 项 ${year} 年度帮扶资金预算` : null;
}
