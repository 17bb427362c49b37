// 维权 demo data, the second part (called from seedRightsDemo on the same story clock): 法治体检 in
// 东台市 (整改中, one rectification done, one past its deadline) and 射阳县 (办结), the 信息员 of both
// counties (the demo worker, a food-delivery rider, a 射阳 wind-power worker) and their risk reports —
// a 较大 one turned into a 12351 ticket dispatched to the town, a 重大 one in 射阳 that told the county
// and the city at once, and one just reported, not yet graded.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { chinaDay } from '../platform/china-time.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../platform/context.js';
import type { RightsService } from '../modules/rights/rights.service.js';
import type { ReplayClock } from './demo-people.js';

const META: RequestMeta = { ip: '127.0.0.1', requestId: 'demo-seed', userAgent: 'demo-seed' };

export interface DemoCheckupsContext {
  db: Kysely<DB>;
  clock: ReplayClock;
  rights: RightsService;
  at: (daysAgo: number, hour: number) => Date;
  staff: { town: StaffActor; county: StaffActor; sheyang: StaffActor };
  workers: { demo?: WorkerActor; rider?: WorkerActor; sheyang?: WorkerActor };
  /** Pool entries created by the first part: 东台's lawyer and mediator, 射阳's mediator. */
  pool: { chen: string; zhou: string; wu: string };
}

/** The live membership of the person a worker account is linked to (the roll), if any. */
async function membershipOf(db: Kysely<DB>, w: WorkerActor | undefined) {
  if (!w) return undefined;
  const m = await db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select('m.id')
    .where('p.worker_id', '=', w.workerId)
    .where('m.status', 'in', ['active', 'retained'])
    .executeTakeFirst();
  return m?.id;
}

export async function seedCheckupsAndRisks(ctx: DemoCheckupsContext): Promise<string[]> {
  const { db, clock, rights, at, staff, workers, pool } = ctx;
  const { town, county, sheyang } = staff;
  const when = (daysAgo: number, hour = 10) => clock.replayAt(at(daysAgo, hour));
  const day = (daysAgo: number) => chinaDay(at(daysAgo, 10));
  const inDays = (n: number) => chinaDay(new Date(at(0, 10).getTime() + n * 86_400_000));
  const story: string[] = [];

  // ---- 法治体检: 东台市 (整改中) ----
  const items = (await rights.checkups.items(false)).items;
  when(18, 9);
  let c1 = await rights.checkups.create(county, META, {
    employerName: '东台某机械制造有限公司',
    checkedOn: day(18),
    poolIds: [pool.chen, pool.zhou],
    staffNames: '东台市总工会法律工作部 孙明',
  });
  const issueNotes: Record<string, string> = {
    工资按时足额支付: '休息日加班既未安排补休也未支付加班工资，涉及一线职工 46 人。',
    社会保险缴纳: '12 名劳务派遣人员未缴纳工伤保险。',
    工时与休息休假: '旺季连续 6 周每周工作 6 天，未报批综合计算工时。',
  };
  when(17, 15);
  const f1 = c1.findings;
  c1 = await rights.checkups.recordFindings(county, META, c1.id, {
    version: c1.version,
    findings: f1.map((f) => ({
      id: f.id,
      result: issueNotes[f.title] ? ('issue' as const) : f.title === '集体合同' ? ('na' as const) : ('ok' as const),
      note: issueNotes[f.title] ?? (f.title === '集体合同' ? '企业工会正在筹备首次集体协商。' : undefined),
    })),
    riskLevel: 'medium',
    summary: '企业劳动合同、女职工保护等制度较为健全，但加班工资支付、社会保险覆盖和工时管理存在明显风险，须限期整改。',
    rectifications: [
      {
        findingId: f1.find((f) => f.title === '工资按时足额支付')?.id,
        task: '补发 2026 年休息日加班工资，建立加班审批与支付台账',
        owner: '企业人力资源部 王经理',
        dueOn: day(8),
      },
      { findingId: f1.find((f) => f.title === '社会保险缴纳')?.id, task: '为劳务派遣人员补缴工伤保险', owner: '企业行政部 陆主任', dueOn: day(2) },
      { findingId: f1.find((f) => f.title === '工时与休息休假')?.id, task: '申报综合计算工时或调整排班', owner: '企业生产部 蔡经理', dueOn: inDays(12) },
    ],
  });
  when(9, 16);
  c1 = await rights.checkups.finishRectification(county, META, c1.id, c1.rectifications[0]!.id, {
    version: c1.version,
    doneOn: day(9),
    note: '已补发 46 人加班工资共 13.8 万元，加班审批表启用。',
  });
  when(7, 10);
  await rights.checkups.followUp(county, META, c1.id, { version: c1.version, comment: '电话督促补缴工伤保险，企业称正在办理参保登记。' });

  // ---- 法治体检: 射阳县 (办结) ----
  when(15, 9);
  let c2 = await rights.checkups.create(sheyang, META, { employerName: '射阳某风电设备公司', checkedOn: day(15), poolIds: [pool.wu] });
  when(14, 15);
  c2 = await rights.checkups.recordFindings(sheyang, META, c2.id, {
    version: c2.version,
    findings: c2.findings.map((f) => ({
      id: f.id,
      result: f.title === '集体合同' ? ('issue' as const) : ('ok' as const),
      note: f.title === '集体合同' ? '工资专项集体合同 2025 年底到期未续签。' : undefined,
    })),
    riskLevel: 'low',
    summary: '企业劳动用工总体规范，工资专项集体合同到期未续签，建议尽快启动协商。',
    rectifications: [{ task: '启动工资专项集体协商并续签合同', owner: '企业工会 顾主席', dueOn: day(4) }],
  });
  when(6, 11);
  c2 = await rights.checkups.finishRectification(sheyang, META, c2.id, c2.rectifications[0]!.id, {
    version: c2.version,
    doneOn: day(6),
    note: '职代会审议通过 2026 年工资专项集体合同，已报人社部门审查。',
  });
  when(5, 10);
  await rights.checkups.close(sheyang, META, c2.id, { version: c2.version, note: '整改事项全部完成，体检办结。' });
  story.push(`2 次法治体检（东台整改中、射阳已办结；清单 ${items.length} 项）`);

  // ---- 信息员 ----
  when(30, 14);
  const informants: [StaffActor, WorkerActor | undefined, 'gig' | 'enterprise', string][] = [
    [county, workers.rider, 'gig', '外卖骑手信息员'],
    [county, workers.demo, 'enterprise', '企业一线信息员'],
    [sheyang, workers.sheyang, 'enterprise', '风电园区信息员'],
  ];
  let registered = 0;
  for (const [by, w, kind, note] of informants) {
    const membershipId = await membershipOf(db, w);
    if (!membershipId) continue;
    await rights.informants.add(by, META, { membershipId, kind, note });
    registered++;
  }

  // ---- risk reports ----
  let risks = 0;
  if (workers.rider) {
    when(6, 20);
    const r = await rights.risks.report(workers.rider, META, {
      idempotencyKey: 'demo-risk-platform-rules',
      kind: 'platform_rules',
      place: '东台城区某外卖平台配送站',
      peopleAffected: 40,
      description: '站点通知下周起超时罚款由每单 2 元提高到 5 元，骑手议论较多，有人提出集体停跑。',
      occurredOn: day(6),
      photoIds: [],
    });
    when(5, 9);
    let v = await rights.risks.get(county, META, r.id, false);
    v = await rights.risks.grade(county, META, r.id, { version: v.version, grade: 'major', comment: '涉及人数较多，有停跑苗头' });
    v = await rights.risks.toTicket(county, META, r.id, { version: v.version, comment: '请镇工会约谈站点' });
    const t = await rights.tickets.get(county, v.ticketId!);
    await rights.tickets.dispatch(county, META, t.id, { version: t.version, orgId: town.orgId, days: 3, comment: '约谈站点负责人，稳定骑手情绪' });
    risks++;
  }
  if (workers.sheyang) {
    when(4, 8);
    const r = await rights.risks.report(workers.sheyang, META, {
      idempotencyKey: 'demo-risk-stoppage',
      kind: 'stoppage',
      place: '射阳港经济开发区某风电叶片车间',
      peopleAffected: 60,
      description: '车间因订单不足停工三天，企业未说明停工期间工资如何发放，职工聚集在厂门口询问。',
      occurredOn: day(4),
      photoIds: [],
    });
    when(4, 10);
    const v = await rights.risks.get(sheyang, META, r.id, false);
    await rights.risks.grade(sheyang, META, r.id, { version: v.version, grade: 'severe', comment: '职工聚集，存在群体性事件风险' });
    risks++;
  }
  if (workers.demo) {
    when(1, 19);
    await rights.risks.report(workers.demo, META, {
      idempotencyKey: 'demo-risk-wages',
      kind: 'wage_arrears',
      place: '东台经济开发区某机械制造公司二车间',
      peopleAffected: 25,
      description: '车间本月绩效工资推迟发放，班组长说要等下个月，工友们有意见。',
      occurredOn: day(1),
      photoIds: [],
    });
    risks++;
  }
  story.push(`${registered} 名信息员、${risks} 件劳动关系风险报告（较大转工单派至镇街 1 件、重大即时报告县市 1 件、待研判 1 件）`);
  return story;
}
