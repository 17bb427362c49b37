// Demo 工会经费 and 经费审查 for `npm start` (called from main.ts after the demo enterprises, same clock):
// in 东台 and 射阳, a year of monthly receivables and 税务代收 statements imported through the statement
// import (a few months left unpaid, so there are arrears), the sharing ratios, quarterly 下拨 to towns,
// budgets by category and spending (the city's 疗休养 paid from its 职工活动 budget), and one audit
// project of the 东台 经审委员会 with findings: one signed off, one overdue with a 约谈, one open.
import { sql } from 'kysely';
import type { DemoPeopleContext } from './demo-people.js';
import { DEMO_META, demoStaff } from './demo-actors.js';

const META = DEMO_META;
const DAY = 86_400_000;

const staff = demoStaff;

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export async function seedFundsDemo(ctx: DemoPeopleContext): Promise<string[]> {
  const { db, clock, services } = ctx;
  if (await db.selectFrom('funds_receipts').select('id').limit(1).executeTakeFirst()) return [];
  const funds = services.features.funds;
  const ac = services.features.auditCommittee.service;
  const now = clock.now();
  const dayAt = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  const on = (daysAgo: number) => {
    clock.replayAt(new Date(now.getTime() - daysAgo * DAY));
    return dayAt(daysAgo);
  };
  const today = dayAt(0);
  const year = Number(today.slice(0, 4));
  const lastMonth = Number(today.slice(5, 7)) - 1;
  const out: string[] = [];
  let receipts = 0;
  let spendingRows = 0;
  try {
    for (const [username, ratios] of [
      ['county_admin', { grassroots: '60', town: '10', county: '20', city: '10' }],
      ['sheyang_admin', { grassroots: '55', town: '15', county: '20', city: '10' }],
    ] as const) {
      const actor = await staff(db, username);
      if (!actor) continue;
      on(330);
      await funds.service.setRatios(actor, META, { orgId: actor.orgId, year, ...ratios });
      const ents = await db
        .selectFrom('enterprises as e')
        .innerJoin('orgs as u', 'u.id', 'e.union_org_id')
        .select(['e.id', 'e.credit_code', 'e.name', 'e.employees'])
        .where('u.path', 'like', `${actor.orgPath}%`)
        .orderBy('e.id')
        .limit(8)
        .execute();
      if (!ents.length) continue;
      // One statement per month, imported in the month after (the tax bureau's 入库 on the 10th); a few enterprises pay late or not at all.
      const rows: string[] = ['统一社会信用代码,缴费单位名称,所属期,计费工资总额,实缴金额,入库日期,电子税票号码'];
      for (let m = 1; m <= lastMonth; m++) {
        const period = `${year}-${String(m).padStart(2, '0')}`;
        const paidOn = `${year}-${String(m + 1).padStart(2, '0')}-10`;
        if (paidOn > today) continue;
        ents.forEach((e, i) => {
          const payroll = e.employees * (620_000 + ((i * 37 + m * 11) % 9) * 15_000);
          const due = Math.round((payroll * 200) / 10_000);
          const unpaid = (i === 2 && m >= lastMonth - 2) || (i === 5 && m === lastMonth);
          const partial = i === 4 && m === lastMonth - 1;
          if (unpaid) return;
          const paid = partial ? Math.round(due / 2) : due;
          rows.push(`${e.credit_code},${e.name},${period},${yuan(payroll)},${yuan(paid)},${paidOn},${username === 'county_admin' ? 'DT' : 'SY'}${year}${String(m).padStart(2, '0')}${String(i).padStart(4, '0')}`);
          receipts++;
        });
      }
      // months that had no statement row still owe: the receivable from the payroll base
      on(0);
      await funds.imports.start(actor, META, { fileName: `${year}年税务代收对账单.csv` }, Buffer.from(rows.join('\n'), 'utf8'));
      await funds.imports.idle();
      for (const [i, e] of ents.entries()) {
        for (let m = 1; m <= lastMonth; m++) {
          if (!((i === 2 && m >= lastMonth - 2) || (i === 5 && m === lastMonth))) continue;
          const period = `${year}-${String(m).padStart(2, '0')}`;
          await funds.service.createReceivable(actor, META, { enterpriseId: e.id, period, payroll: yuan(e.employees * 650_000) }).catch(() => undefined);
        }
      }
      // quarterly 下拨 to the first towns
      const towns = await db.selectFrom('orgs').select(['id', 'name']).where('parent_id', '=', actor.orgId).where('type', '=', 'town').orderBy('id').limit(3).execute();
      for (const [q, daysAgo] of [
        [1, 240],
        [2, 150],
        [3, 60],
      ] as const) {
        const d = on(daysAgo);
        if (d.slice(0, 4) !== String(year)) continue;
        for (const t of towns) await funds.service.allocate(actor, META, { toOrgId: t.id, amount: `${10000 + q * 2500}.00`, allocatedOn: d, purpose: `第${q}季度基层工会建设补助` });
      }
      // budgets and spending
      on(330);
      const budget: [string, string][] = [
        ['activities', '1200000.00'],
        ['rights', '300000.00'],
        ['aid', '600000.00'], // the aid budgets (帮扶资金, module aid) are lines of it: 东台 550,000, 射阳 410,000
        ['business', '400000.00'],
        ['admin', '200000.00'],
        ['capital', '150000.00'],
      ];
      for (const [category, amount] of budget)
        await funds.budgets.setBudget(actor, META, { year, category: category as 'activities', amount, note: category === 'activities' ? '含疗休养、职工文体活动' : '' });
      const spend: [string, string, string, string, number][] = [
        ['activities', '26000.00', '职工篮球赛场地与器材', '县体育中心', 280],
        ['activities', '58000.00', '“五一”劳动竞赛奖励', '获奖职工', 200],
        ['rights', '12000.00', '法律援助律师服务费', '县法律援助中心', 170],
        ['aid', '60000.00', '春节送温暖慰问金', '困难职工', 310],
        ['business', '25000.00', '基层工会干部培训', '县委党校', 140],
        ['admin', '18000.00', '办公用品与印刷', '县文印中心', 90],
        ['capital', '36000.00', '职工之家设备购置', '设备供应商', 60],
      ];
      for (const [category, amount, purpose, payee, daysAgo] of spend) {
        const d = on(daysAgo);
        if (d.slice(0, 4) !== String(year)) continue;
        await funds.budgets.createSpending(actor, META, { category: category as 'activities', amount, spentOn: d, payee, purpose });
        spendingRows++;
      }
    }
    // The city's 疗休养 draws on the city's 职工活动 budget.
    const city = await staff(db, 'city_admin');
    const rec = await db.selectFrom('activities').select(['id', 'title']).where('type', '=', 'recuperation').orderBy('id').limit(1).executeTakeFirst();
    if (city && rec) {
      on(20);
      await funds.budgets.setBudget(city, META, { year, category: 'activities', amount: '5000000.00', note: '疗休养 500 万' });
      await funds.budgets.setBudget(city, META, { year, category: 'aid', amount: '1300000.00', note: '市级帮扶资金（生活、医疗、助学、送温暖）' });
      await funds.budgets.createSpending(city, META, {
        category: 'activities',
        amount: '180000.00',
        spentOn: dayAt(20),
        payee: '大丰荷兰花海疗休养基地',
        purpose: `${rec.title}费用预付`,
        activityId: rec.id,
      });
      spendingRows++;
    }
    out.push(`工会经费：东台、射阳 ${receipts} 笔税务代收到账（含欠缴）、季度下拨、预算与 ${spendingRows} 笔支出`);

    // 会费 at one grassroots union (decision 034): switched on at 0.5 %, one member exempt, and the twelve months
    // up to the current one recorded in bulk on payday (the 5th, or today early in the month), each for the
    // members who had joined by then — one member has not paid the last two months (the arrears list).
    const gr = await staff(db, 'grassroots_admin');
    if (gr) {
      const members = await db
        .selectFrom('memberships')
        .select(['id', sql<string>`to_char(joined_on, 'YYYY-MM')`.as('joined')])
        .where('org_path', 'like', `${gr.orgPath}%`)
        .where('status', 'in', ['active', 'retained'])
        .orderBy('id')
        .limit(40)
        .execute();
      if (members.length >= 3) {
        on(370);
        await funds.dues.saveSettings(gr, META, { enabled: true, ratePercent: '0.5' });
        await funds.dues.exempt(gr, META, { membershipId: members[0]!.id, reason: '困难职工，经工会委员会研究免缴' });
        const late = members[1]!.id;
        let rows = 0;
        for (let back = 11; back >= 0; back--) {
          const first = new Date(Date.UTC(year, Number(today.slice(5, 7)) - 1 - back, 1));
          const period = first.toISOString().slice(0, 7);
          const payday = `${period}-05`;
          const paidOn = payday < today ? payday : today;
          const items = members
            .slice(1)
            .map((x, i) => ({ x, wage: `${5200 + ((i * 370) % 2600)}.00` }))
            .filter(({ x }) => x.joined <= period && !(x.id === late && back < 2))
            .map(({ x, wage }) => ({ membershipId: x.id, wage }));
          if (!items.length) continue;
          clock.replayAt(paidOn === today ? now : new Date(`${paidOn}T02:00:00Z`));
          rows += (await funds.dues.record(gr, META, { period, paidOn, items })).added;
        }
        const union = await db.selectFrom('orgs').select('name').where('id', '=', gr.orgId).executeTakeFirst();
        out.push(`会费：${union?.name ?? '基层工会'} ${members.length} 名会员，${rows} 笔月度会费（1 人免缴）`);
      }
    }

    // One audit project of the 东台 经审委员会 over a grassroots union with arrears.
    const js = await staff(db, 'jingshen');
    const audited = js
      ? await db.selectFrom('orgs').select(['id', 'name']).where('path', 'like', `${js.orgPath}%`).where('type', '=', 'grassroots').orderBy('id').limit(1).executeTakeFirst()
      : undefined;
    if (js && audited) {
      on(60);
      const p = await ac.create(js, META, {
        auditedOrgId: audited.id,
        kind: 'final_accounts',
        title: `${year - 1} 年度经费收支决算审计`,
        periodFrom: `${year - 1}-01-01`,
        periodTo: `${year - 1}-12-31`,
        team: '经审委员会 王敏（组长）、陈洁',
      });
      const add = (category: 'spending', description: string, amount: string, severity: 'minor' | 'major', task: string, deadlineDaysAgo: number) =>
        ac.addFinding(js, META, p.id, { category, description, amount, severity, responsiblePerson: '工会主席', task, owner: '工会会计', deadline: dayAt(deadlineDaysAgo) });
      let r = await add('spending', '职工活动列支超标准慰问品', '12800.00', 'major', '清退超标准部分并修订慰问品管理办法', 30);
      const first = r.findings.at(-1)!.task;
      r = await add('spending', '部分支出无原始凭证', '3650.50', 'minor', '补齐原始凭证并建立报销审核流程', 45);
      r = await add('spending', '固定资产未入账', '12000.00', 'major', '完成资产登记入账，建立资产台账', -30);
      on(35);
      const done = await ac.submitEvidence(js, META, first.id, { version: first.version, evidence: '已清退 12800.00 元，附银行回单与新办法' });
      const t1 = done.findings[0]!.task;
      on(33);
      await ac.close(js, META, t1.id, { version: t1.version, opinion: '整改到位，同意销号' });
      on(5);
      const overdue = r.findings[1]!.task;
      await ac.interview(js, META, overdue.id, { heldOn: dayAt(5), interviewee: '工会主席', interviewer: '经审委员会主任 王敏', notes: '逾期未补齐凭证，责令十日内完成' });
      out.push(`经费审查：1 个审计项目、3 个问题（1 个已销号，1 个逾期已约谈）`);
    }
  } finally {
    clock.replayAt(null);
  }
  return out;
}
