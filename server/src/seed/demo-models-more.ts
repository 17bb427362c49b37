// 劳模工匠 and 产改 demo data, the rest of issue 16 (decision 033), through the services on the demo clock:
// the city's 创新成果积分 table (ranking off) and 东台's own (ranking on) before any achievement is scored;
// then studio evaluations of last year, an evidence file, the 技能竞赛 activity's catalogue entry and a
// winner's 技能等级, 督查考核 visits on the pilots and one 工匠学院 per county.
import type { StaffActor } from '../platform/context.js';
import type { DemoPeopleContext } from './demo-people.js';
import { DEMO_META as META, demoStaff } from './demo-actors.js';

const DAY = 86_400_000;
/** A 1×1 PNG: the demo's evidence file (a photo of a certificate in real use). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Before the studios' achievements: the tables in force when they are scored. */
export async function seedPointsTables(ctx: DemoPeopleContext, o: { county: StaffActor; now: Date }): Promise<void> {
  const city = await demoStaff(ctx.db, 'city_admin');
  const points = ctx.services.features.models.points;
  ctx.clock.replayAt(new Date(o.now.getTime() - 230 * DAY));
  const base = {
    kinds: { patent: 0, innovation: 10, five_small: 5, apprentice: 3, benefit: 0 },
    award: { national: 100, provincial: 60, city: 30, county: 15 },
    patent: { invention: 50, utility: 20, design: 10 },
    benefit: [
      { min: '100000.00', points: 5 },
      { min: '500000.00', points: 10 },
      { min: '1000000.00', points: 20 },
    ],
  };
  if (city) await points.saveTable(city, META, { ...base, rankingEnabled: false, version: null });
  // 东台 (兴化-style 积分奖励办法): more for invention patents and 五小, and its ranking switched on
  await points.saveTable(o.county, META, { ...base, kinds: { ...base.kinds, five_small: 8 }, patent: { invention: 60, utility: 25, design: 10 }, rankingEnabled: true, version: null });
}

export async function seedModelsMore(ctx: DemoPeopleContext, o: { county: StaffActor; sheyang: StaffActor; now: Date }): Promise<string[]> {
  const { db, clock, services } = ctx;
  const models = services.features.models;
  const reform = services.features.reform.service;
  const at = (daysAgo: number) => clock.replayAt(new Date(o.now.getTime() - daysAgo * DAY));
  const dayOf = (daysAgo: number) => new Date(o.now.getTime() - daysAgo * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  const year = Number(dayOf(0).slice(0, 4));
  const out: string[] = [];

  // studio evaluations of last year and an evidence file for the first achievement of each 东台 studio
  const studios = await db.selectFrom('model_studios').select(['id', 'org_id', 'name']).orderBy('id').execute();
  let evaluated = 0;
  let files = 0;
  at(60);
  for (const [i, s] of studios.entries()) {
    const actor = s.name.startsWith('陆海波') ? o.sheyang : o.county;
    const pct = [0.95, 0.82, 0.7, 0.64, 0.88, 0.9][i % 6]!;
    const criteria = models.review.criteria();
    await models.review.evaluate(actor, META, s.id, { year: year - 1, evaluator: actor === o.county ? '东台市总工会' : '射阳县总工会', scores: criteria.map((c) => ({ code: c.code, score: Math.round(c.max * pct) })) });
    evaluated++;
    const first = await db.selectFrom('model_studio_achievements').select('id').where('studio_id', '=', s.id).orderBy('id').limit(1).executeTakeFirst();
    if (first && actor === o.county) {
      await models.review.uploadFile(actor, META, s.id, first.id, PNG, '证书扫描件.png');
      files++;
    }
  }
  out.push(`创新工作室年度评价 ${evaluated} 份，成果佐证材料 ${files} 份`);

  // the city's 技能竞赛 activity picks its catalogue entry; a 东台 craftsman's result as a 技能等级
  const city = await demoStaff(db, 'city_admin');
  const entries = (await models.competitions.list(o.county, { page: 1, pageSize: 50 })).items;
  const electric = entries.find((c) => c.name.includes('电工'));
  const welding = entries.find((c) => c.name.includes('焊工'));
  const contest = await db.selectFrom('activities').select('id').where('type', '=', 'contest').where('title', 'like', '%电工%').orderBy('id').executeTakeFirst();
  if (city && electric && contest) await models.competitions.tagActivity(city, META, electric.id, { activityId: contest.id });
  const xu = await db.selectFrom('model_people').select('id').where('name', '=', '徐小龙').executeTakeFirst();
  if (xu && welding) await models.competitions.recordResult(o.county, META, xu.id, { competitionId: welding.id, year: year - 1, placing: '一等奖', certificateNo: `YCJN${year - 1}-0017` });

  // 督查考核 visits on every pilot, a 工匠学院 per county linked to its pilots
  const pilots = await db
    .selectFrom('reform_pilots as p')
    .innerJoin('orgs as g', 'g.id', 'p.org_id')
    .select(['p.id', 'g.path'])
    .orderBy('p.id')
    .execute();
  let visits = 0;
  for (const [i, p] of pilots.entries()) {
    const actor = p.path.startsWith(o.county.orgPath) ? o.county : o.sheyang;
    for (const ago of [150, 45]) {
      at(ago);
      await reform.inspect(actor, META, p.id, {
        visitedOn: dayOf(ago),
        inspectors: actor === o.county ? '东台市总工会产改督查组（3 人）' : '射阳县总工会产改督查组（2 人）',
        findings: ago > 100 ? '任务清单已分解到部门，技能人才激励办法尚在起草。' : '激励办法已印发，首席技师制度落地，学徒制培训进度偏慢。',
        score: 70 + ((i * 7 + ago) % 25),
      });
      visits++;
    }
  }
  at(100);
  for (const [actor, name, host] of [
    [o.county, '东台市工匠学院', '东台中等专业学校'],
    [o.sheyang, '射阳县工匠学院', '射阳港发电有限公司'],
  ] as const) {
    const own = pilots.filter((p) => p.path.startsWith(actor.orgPath)).map((p) => p.id);
    await reform.addAcademy(actor, META, { orgId: actor.orgId, name, host, foundedYear: year - 2, note: '校企合作培养高技能人才', pilotIds: own });
  }
  out.push(`产改督查考核 ${visits} 次，工匠学院 2 所；竞赛目录对应技能竞赛活动，技能等级成绩 1 条`);

  // 困难劳模: the head of 东台's established hardship file is a former 市劳模 — the register entry links to the file
  const head = await db
    .selectFrom('hardship_files as f')
    .innerJoin('people as p', 'p.id', 'f.head_person_id')
    .innerJoin('orgs as g', 'g.id', 'f.org_id')
    .select(['p.name', 'p.id_enc'])
    .where('g.path', 'like', `${o.county.orgPath}%`)
    .where('f.status', '=', 'established')
    .orderBy('f.id')
    .executeTakeFirst();
  const registered = head && (await db.selectFrom('model_people').select('id').where('name', '=', head.name).executeTakeFirst());
  if (head && !registered) {
    at(30);
    await models.service.create(o.county, META, {
      orgId: o.county.orgId,
      name: head.name,
      idNumber: ctx.crypto.decrypt(head.id_enc),
      status: 'active',
      employer: '东台永盛家纺有限公司',
      note: '困难劳模，已建立困难职工档案',
      honours: [{ kind: 'city_model', year: year - 9, awardingBody: '盐城市人民政府', certificateNo: null }],
    });
    out.push(`困难劳模 1 人（与困难职工档案关联）`);
  }
  return out;
}
