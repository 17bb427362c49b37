// Demo enterprises for `npm start` (called from main.ts after the demo people, same DemoClock): ~30
// enterprises per county — the demo tree's enterprise unions attached to their enterprises, a 联合
// 工会 covering small firms, and firms still without a union (the 未建会 list) — plus 建会 processes,
// 职代会 / 厂务公开 records, a 春季要约 campaign and collective contracts in every status, all created
// through the services at the story's dates.
import type { EnterpriseSize, Ownership } from '../db/schema-enterprises.js';
import { creditCodeCheckChar } from '../platform/validators.js';
import type { DemoPeopleContext } from './demo-people.js';
import { DEMO_META, demoStaff } from './demo-actors.js';

const META = DEMO_META;
const DAY = 86_400_000;
const OWN: Ownership[] = ['private', 'private', 'private', 'private', 'state', 'collective', 'foreign', 'hmt', 'mixed', 'individual'];
const IND = ['C', 'C', 'C', 'F', 'G', 'E', 'H', 'I', 'L', 'M', 'O', 'Q'];
const WORDS = ['恒信', '华泰', '金鼎', '瑞丰', '盛达', '新宇', '永兴', '海润', '天成', '嘉禾', '联创', '同益', '宏远', '东升', '鑫源'];
const TRADES: Record<string, string> = {
  C: '机械制造',
  F: '商贸',
  G: '物流',
  E: '建设工程',
  H: '餐饮管理',
  I: '信息科技',
  L: '人力资源服务',
  M: '检测技术',
  O: '家政服务',
  Q: '医疗器械',
};

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const staff = demoStaff;

export async function seedEnterprisesDemo(ctx: DemoPeopleContext): Promise<string[]> {
  const { db, clock, services } = ctx;
  if (await db.selectFrom('enterprises').select('id').limit(1).executeTakeFirst()) return [];
  const city = await staff(db, 'city_admin');
  if (!city) return [];
  const ent = services.features.enterprises;
  const con = services.features.contracts;
  const now = clock.now();
  const at = (daysAgo: number) => clock.replayAt(new Date(now.getTime() - daysAgo * DAY));
  const dayAt = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  /** Moves the story's clock to that day and answers the day. */
  const on = (daysAgo: number) => {
    at(daysAgo);
    return dayAt(daysAgo);
  };
  const rand = rng(20261206);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)]!;

  const counties = await db.selectFrom('orgs').select(['id', 'name', 'path', 'division_code']).where('type', '=', 'county').orderBy('id').execute();
  let serial = 1;
  let total = 0;
  const unionised: { id: string; name: string; employees: number; women: number; county: string }[] = [];
  const unionless: { id: string; name: string; county: string; orgId: string }[] = [];
  try {
    at(400);
    for (const county of counties) {
      const short = county.name.replace(/总工会$/, '').replace(/(市|区|县)$/, '');
      const unions = await db
        .selectFrom('orgs')
        .select(['id', 'name', 'parent_id', 'type'])
        .where('path', 'like', `${county.path}%`)
        .where('type', 'in', ['grassroots', 'joint_grassroots'])
        .where('status', '=', 'active')
        .orderBy('id')
        .limit(40)
        .execute();
      const own = unions.filter((u) => u.type === 'grassroots');
      const joint = unions.find((u) => u.type === 'joint_grassroots');
      const towns = await db.selectFrom('orgs').select('id').where('parent_id', '=', county.id).where('type', '=', 'town').orderBy('id').limit(8).execute();
      for (let i = 0; i < 30; i++) {
        const body = `91${(county.division_code ?? '320900').slice(0, 6)}MA${String(serial++).padStart(7, '0')}`;
        const code = `${body}${creditCodeCheckChar(body)}`;
        const mine = i < own.length && i < 14 ? own[i]! : null;
        const industry = pick(IND);
        const employees = mine ? 40 + Math.floor(rand() * 400) : i % 3 === 0 ? 5 + Math.floor(rand() * 19) : 25 + Math.floor(rand() * 150);
        const size: EnterpriseSize = employees >= 300 ? 'medium' : employees >= 20 ? 'small' : 'micro';
        const name = mine ? mine.name.replace(/工会委员会$|工会$/, '') : `${short}${pick(WORDS)}${TRADES[industry] ?? '实业'}有限公司`;
        const coveredByJoint = !mine && joint && employees < 25 && i % 2 === 0;
        const orgId = mine?.parent_id ?? towns[i % Math.max(1, towns.length)]?.id ?? county.id;
        const e = await ent.service
          .create(city, META, {
            orgId,
            creditCode: code,
            name: name.length >= 2 ? name : `${short}企业${i}`,
            ownership: mine ? pick(OWN) : pick(OWN.filter((o) => o !== 'state')),
            industry,
            size,
            employees,
            women: Math.floor(employees * (0.2 + rand() * 0.4)),
            migrantWorkers: Math.floor(employees * rand() * 0.5),
            address: null,
            divisionCode: county.division_code,
            isPlatform: industry === 'G' && i % 4 === 0,
            unionOrgId: mine?.id ?? (coveredByJoint ? joint!.id : null),
          })
          .catch(() => null);
        if (!e) continue;
        total++;
        if (mine) unionised.push({ id: e.id, name: e.name, employees: e.employees, women: e.women, county: county.id });
        else if (e.shouldFound) unionless.push({ id: e.id, name: e.name, county: county.id, orgId });
      }
    }

    // 职代会 and 厂务公开: most unionised enterprises established, two thirds held a session this year.
    for (const [k, u] of unionised.entries()) {
      const d = await ent.service.get(city, u.id);
      if (k % 5 === 4) continue;
      at(300 - (k % 200));
      await ent.service.setSystems(city, META, u.id, { version: d.version, congressSystem: true, disclosureSystem: k % 4 !== 3 });
      if (k % 3 !== 2) {
        await ent.service.addCongress(city, META, u.id, {
          heldOn: dayAt(300 - (k % 200)),
          kind: u.employees >= 100 ? 'congress' : 'assembly',
          delegates: Math.min(u.employees, 60),
          present: Math.min(u.employees, 60) - 3,
          motions: [{ title: '关于改善职工食堂就餐条件的提案', handling: '已落实，新增两个窗口' }],
          resolutions: '审议通过企业年度工作报告和职工福利费使用情况报告。',
        });
        if (k % 4 !== 3)
          await ent.service.addDisclosure(city, META, u.id, { publishedOn: dayAt(300 - (k % 200)), subject: '年度职工福利费使用情况', channel: '公开栏' });
      }
    }

    // 建会 processes: a few in every state on the 未建会 list. The county's own account organises them
    // and the city gives the 上级批复 (four eyes, decision 045); where a county has no demo account the
    // city organises and nobody else may approve, so its processes stay 待批复.
    const county0 = counties[0]!;
    const countyStaff = new Map<string, Awaited<ReturnType<typeof staff>>>();
    for (const [name, username] of [
      ['东台市总工会', 'county_admin'],
      ['射阳县总工会', 'sheyang_admin'],
    ] as const) {
      const c = counties.find((x) => x.name === name);
      if (c) countyStaff.set(c.id, await staff(db, username));
    }
    // the counties with a demo account first, so every state is shown with a real 上级批复
    const founding = [...unionless.filter((u) => countyStaff.get(u.county)), ...unionless.filter((u) => !countyStaff.get(u.county))];
    for (const [k, u] of founding.slice(0, 12).entries()) {
      const organiser = countyStaff.get(u.county) ?? city;
      at(120 - k * 5);
      const f = await ent.founding
        .start(organiser, META, u.id, { parentOrgId: u.orgId, organiser: '县总工会基层工作部', startedOn: dayAt(120 - k * 5) })
        .catch(() => null);
      if (!f || k % 4 === 0) continue;
      const e = await ent.service.get(city, u.id);
      const officers = [
        { name: '周立新', role: 'chair' as const },
        { name: '钱进', role: 'funds_review' as const },
        ...(e.women >= 10 ? [{ name: '冯丽', role: 'women_committee' as const }] : []),
      ];
      const el = await ent.founding
        .elect(organiser, META, f.id, { version: f.version, meetingKind: '会员大会', electedOn: on(100 - k * 5), termYears: 5, officers })
        .catch(() => null);
      if (!el || k % 4 === 1) continue;
      at(90 - k * 5);
      const ap = await ent.founding
        .approve(city, META, f.id, { version: el.version, approvalNo: `盐工批〔${dayAt(0).slice(0, 4)}〕${k + 1}号`, approvedOn: dayAt(90 - k * 5) })
        .catch(() => null);
      if (!ap || k % 4 === 2) continue;
      await ent.founding
        .registerLegal(city, META, f.id, {
          version: ap.version,
          certificateNo: `工法证字第${county0.division_code}${String(k).padStart(3, '0')}号`,
          registeredOn: on(80 - k * 5),
        })
        .catch(() => null);
    }

    // 春季要约 of this year across the city.
    at(250);
    const year = Number(dayAt(250).slice(0, 4));
    const camp = await con.campaigns
      .create(city, META, {
        orgId: city.orgId,
        title: `${year} 年春季集中要约行动`,
        year,
        startsOn: dayAt(250),
        endsOn: dayAt(160),
        minEmployees: 25,
        industries: [],
        unionisedOnly: true,
      })
      .catch(() => null);

    // Contracts in every status.
    const templates = (await con.service.templates()).items;
    const women = templates.find((t) => t.code === 'women')!;
    const general = templates.find((t) => t.code === 'general')!;
    const plans = ['negotiating', 'objection', 'signed', 'submitted', 'accepted', 'effective', 'effective', 'effective', 'expired', 'renewed'];
    for (const [k, u] of unionised.slice(0, 60).entries()) {
      const plan = plans[k % plans.length]!;
      const kind = k % 2 === 0 ? 'women' : 'general';
      const startAgo = plan === 'expired' || plan === 'renewed' ? 420 : plan === 'effective' ? 200 : 20;
      at(startAgo + 20);
      if (camp) await con.campaigns.advance(city, META, camp.id, u.id, { stage: 'offered', on: dayAt(startAgo + 20) }).catch(() => null);
      let c = await con.service.create(city, META, {
        kind,
        title: `${u.name}${kind === 'women' ? '女职工权益保护专项集体合同' : '集体合同'}`,
        enterpriseIds: [u.id],
        templateId: kind === 'women' ? women.id : general.id,
        termYears: plan === 'expired' || plan === 'renewed' ? 1 : 3,
        unionParty: `${u.name}工会委员会`,
        employerParty: u.name,
        unionNegotiator: '周立新',
        employerNegotiator: '何建华',
      });
      if (plan === 'negotiating') continue;
      c = await con.service.addRound(city, META, c.id, {
        heldOn: on(startAgo + 15),
        topics: '工资增长幅度与女职工特殊保护',
        minutes: '双方就主要条款达成一致',
      });
      const delegates = Math.max(3, Math.min(u.employees, 60));
      c = await con.service.vote(city, META, c.id, {
        version: c.version,
        heldOn: on(startAgo + 10),
        delegates,
        present: delegates,
        for: delegates - 1,
        against: 1,
        abstain: 0,
      });
      c = await con.service.sign(city, META, c.id, { version: c.version, signedOn: on(startAgo + 5), startsOn: dayAt(startAgo) });
      if (plan === 'signed') continue;
      c = await con.service.submit(city, META, c.id, { version: c.version, submittedOn: on(startAgo + 2) });
      if (plan === 'submitted') continue;
      const acceptAgo = plan === 'accepted' ? 5 : startAgo;
      at(acceptAgo);
      c = await con.service.accept(city, META, c.id, { version: c.version, acceptedOn: dayAt(acceptAgo) });
      if (plan === 'objection') {
        c = await con.service.review(city, META, c.id, {
          version: c.version,
          reviewedOn: dayAt(acceptAgo),
          result: 'objection',
          opinion: '第二条工资增长条款低于当地工资指导线基准线，请重新协商。',
        });
        continue;
      }
      if (plan === 'renewed') {
        at(30);
        const n = await con.service.renew(city, META, c.id, { version: c.version });
        const v = await con.service.vote(city, META, n.id, {
          version: n.version,
          heldOn: on(25),
          delegates,
          present: delegates,
          for: delegates,
          against: 0,
          abstain: 0,
        });
        await con.service.sign(city, META, n.id, { version: v.version, signedOn: on(20), startsOn: dayAt(20) });
      }
    }
  } finally {
    clock.replayAt(null);
  }
  return [`${total} 家企业（${unionised.length} 家独立建会、${unionless.length} 家未建会）、建会进程、职代会与厂务公开、要约行动和各状态的集体合同`];
}
