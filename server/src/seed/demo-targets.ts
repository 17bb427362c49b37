// Demo targets and 工作质效评价 for `npm start` (called from main.ts after the other demo data and the
// first snapshot, same DemoClock): in mid-January the city sets this year's targets for the ten
// counties and its scheme; 东台市 cascades its 新增会员 target to three towns; in late November 东台 and
// 射阳 claim the manual item, and the city confirms 东台's. All through the targets services.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { chinaYear } from '../platform/china-time.js';
import { INDICATORS } from '../modules/stats/stats.catalogue.js';
import type { StatsService } from '../modules/stats/stats.service.js';
import type { TargetsModule } from '../modules/targets/targets.module.js';
import type { ReplayClock } from './demo-people.js';
import { DEMO_META, demoStaff } from './demo-actors.js';

const META = DEMO_META;
const DAY = 86_400_000;

const staff = demoStaff;

/** An indicator of the catalogue by its Chinese name (the plan reads as people write it). */
const code = (name: string) => INDICATORS.find((i) => i.name === name)?.code ?? null;

/** Round up to a tidy target: 10s below 200, 50s below 1,000, else 100s. */
const tidy = (n: number) => {
  const step = n < 200 ? 10 : n < 1000 ? 50 : 100;
  return Math.max(step, Math.ceil(n / step) * step);
};

export async function seedTargetsDemo(ctx: {
  db: Kysely<DB>;
  clock: ReplayClock;
  targets: TargetsModule;
  stats: Pick<StatsService, 'evaluate'>;
}): Promise<string[]> {
  const { db, clock, targets } = ctx;
  if (await db.selectFrom('targets').select('id').limit(1).executeTakeFirst()) return [];
  const [city, dongtai, sheyang] = await Promise.all([staff(db, 'city_admin'), staff(db, 'county_admin'), staff(db, 'sheyang_admin')]);
  if (!city || !dongtai) return [];
  const now = clock.now();
  const year = chinaYear(now);
  const joined = code('新入会会员');
  const gig = code('新就业形态会员');
  const founding = code('建会率');
  const sites = code('运营中的服务阵地');
  if (!joined || !gig) return [];

  // What the counties stand at now: the targets ask a little more of each (some will be met, some not).
  const counties = await db.selectFrom('orgs').select(['id', 'name']).where('parent_id', '=', city.orgId).where('type', '=', 'county').orderBy('id').execute();
  const figures = await ctx.stats.evaluate(city, { orgId: city.orgId, from: `${year}-01-01` }, [joined, gig, ...(sites ? [sites] : [])]);
  const valueOf = (orgId: string, c: string) => figures.children.find((x) => x.id === orgId)?.values[c] ?? 0;
  const stretch = (i: number) => [0.85, 1.1, 1.25, 0.95, 1.4, 1.05, 1.2, 0.9, 1.3, 1.15][i % 10]!;

  try {
    clock.replayAt(new Date(`${year}-01-15T09:30:00+08:00`));
    const plan: { code: string; values: (orgId: string, i: number) => number }[] = [
      { code: joined, values: (id, i) => tidy(valueOf(id, joined) * stretch(i)) },
      { code: gig, values: (id, i) => tidy(valueOf(id, gig) * stretch(i + 3)) },
      ...(founding ? [{ code: founding, values: () => 80 }] : []),
      ...(sites ? [{ code: sites, values: (id: string, i: number) => Math.max(1, Math.round(valueOf(id, sites) * stretch(i + 5))) }] : []),
    ];
    for (const p of plan) {
      await targets.service.set(city, META, {
        year,
        indicatorCode: p.code,
        comparison: 'gte',
        note: `${year} 年度目标任务（市总工会下达）`,
        items: counties.map((c, i) => ({ orgId: c.id, value: p.values(c.id, i) })),
      });
    }
    await targets.schemes.save(city, META, {
      year,
      name: `${year} 年度县级工会工作质效评价`,
      items: [
        { kind: 'indicator', name: '新增会员', indicatorCode: joined, rule: 'linear', weight: 30 },
        { kind: 'indicator', name: '新就业形态入会', indicatorCode: gig, rule: 'linear', weight: 20 },
        ...(founding ? [{ kind: 'indicator' as const, name: '建会率', indicatorCode: founding, rule: 'floor60' as const, weight: 15 }] : []),
        ...(sites ? [{ kind: 'indicator' as const, name: '阵地建设', indicatorCode: sites, rule: 'threshold' as const, weight: 15 }] : []),
        {
          kind: 'manual',
          name: '工作创新与督查考核',
          weight: founding && sites ? 20 : 50,
          description: '创新做法被上级推广、督查发现问题整改到位等，由各县自评并附佐证，市总审核确认',
        },
      ],
    });

    // 东台 cascades its 新增会员 target to three towns in late January.
    clock.replayAt(new Date(`${year}-01-28T10:00:00+08:00`));
    const mine = await targets.service.list(dongtai, { year });
    const own = mine.own.find((t) => t.indicator.code === joined);
    const towns = mine.children.filter((c) => c.type === 'town').slice(0, 3);
    if (own && towns.length) {
      const shares = [0.4, 0.35, 0.25];
      await targets.service.set(dongtai, META, {
        year,
        indicatorCode: joined,
        comparison: 'gte',
        parentTargetId: own.id,
        items: towns.map((t, i) => ({ orgId: t.id, value: Math.max(1, Math.round(own.value * shares[i]!)) })),
      });
    }

    // Late November: 东台 and 射阳 claim the manual item; the city confirms 东台's.
    clock.replayAt(new Date(now.getTime() - 12 * DAY));
    const scheme = await targets.schemes.mine(dongtai, { year });
    const manual = scheme.scheme?.items.find((i) => i.kind === 'manual');
    if (manual) {
      const c = await targets.schemes.claim(dongtai, META, {
        itemId: manual.id,
        score: 18,
        evidence: '“司机之家+流动服务车”做法被省总工会推广；督查发现的 3 个问题均已整改到位（整改报告见附件清单）',
      });
      clock.replayAt(new Date(now.getTime() - 9 * DAY));
      await targets.schemes.review(city, META, c.id, { action: 'confirm', score: 16, note: '整改报告齐全；推广做法计 16 分', version: c.version });
      if (sheyang) {
        clock.replayAt(new Date(now.getTime() - 6 * DAY));
        await targets.schemes.claim(sheyang, META, { itemId: manual.id, score: 15, evidence: '开展货车司机集中入会行动，经验在全市交流' });
      }
    }
  } finally {
    clock.replayAt(null);
  }
  return [`${year} 年度目标 ${counties.length} 个县（市、区）、考核方案 1 个`];
}
