// 劳模工匠 demo data for `npm start`, created through the models service on the demo story's clock:
// honoured people in 东台市 and 射阳县 (on the roll — a demo member becomes a 市劳模 and the roll's
// 劳模 flag follows — and not), with honours of every group, retired and deceased ones, and this
// year's entitlements partly given (春节慰问 in February, 体检 in spring).
import type { RequestMeta, StaffActor } from '../platform/context.js';
import { residentIdCheckChar } from '../platform/validators.js';
import type { CreatePersonInput } from '../modules/models/models.schema.js';
import type { DemoPeopleContext } from './demo-people.js';
import { demoStaff } from './demo-actors.js';
import { seedModelsMore, seedPointsTables } from './demo-models-more.js';

const META: RequestMeta = { ip: '127.0.0.1', requestId: 'demo-seed', userAgent: 'demo-seed' };
const DAY = 86_400_000;

const staff = demoStaff;

/** A clearly fake ID number (region 3299xx is no real county) with a valid GB 11643 check digit. */
function fakeId(n: number, born: string) {
  const body = `3299${String(50 + (n % 40)).padStart(2, '0')}${born}${String(n % 1000).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

type Honour = CreatePersonInput['honours'][number];
const h = (kind: Honour['kind'], year: number, awardingBody: string, certificateNo?: string): Honour => ({ kind, year, awardingBody, certificateNo: certificateNo ?? null });

export async function seedModelsDemo(ctx: DemoPeopleContext): Promise<string[]> {
  const { db, clock, services, crypto } = ctx;
  if (await db.selectFrom('model_people').select('id').limit(1).executeTakeFirst()) return [];
  const county = await staff(db, 'county_admin');
  const sheyang = await staff(db, 'sheyang_admin');
  const city = await staff(db, 'city_admin');
  if (!county || !sheyang || !city) return [];
  const models = services.features.models.service;
  const now = clock.now();
  const at = (daysAgo: number) => clock.replayAt(new Date(now.getTime() - daysAgo * DAY));
  const thisYear = Number(new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const orgOf = async (name: string) => (await db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirst())?.id;
  const dongtaiId = await orgOf('东台市总工会');
  const sheyangId = await orgOf('射阳县总工会');
  if (!dongtaiId || !sheyangId) return [];

  // a demo member of the roll (东台) becomes a 市劳模: the roll's 劳模 flag follows the register
  const onRoll = await db
    .selectFrom('people as p')
    .innerJoin('memberships as m', 'm.person_id', 'p.id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['p.name', 'p.id_enc', 'm.employer_name'])
    .where('p.name', '=', '陈红梅')
    .where('p.id_type', '=', 'resident_id')
    .where('o.path', 'like', `${county.orgPath}%`)
    .executeTakeFirst();

  const people: { actor: StaffActor; orgId: string; input: Omit<CreatePersonInput, 'orgId' | 'status'> & { status?: CreatePersonInput['status'] } }[] = [
    ...(onRoll
      ? [
          {
            actor: county,
            orgId: dongtaiId,
            input: { name: onRoll.name, idNumber: crypto.decrypt(onRoll.id_enc), employer: onRoll.employer_name ?? '东台市某机械制造有限公司', honours: [h('city_model', thisYear - 2, '盐城市人民政府', `YC${thisYear - 2}-031`)] },
          },
        ]
      : []),
    { actor: county, orgId: dongtaiId, input: { name: '顾永兵', idNumber: fakeId(1, '19700412'), phone: '13905150001', employer: '东台市海上风电装备有限公司', jobTitle: '焊接技师', honours: [h('national_model', thisYear - 6, '中共中央、国务院', 'QG-0815'), h('craftsman_provincial', thisYear - 4, '江苏省总工会')] } },
    { actor: county, orgId: dongtaiId, input: { name: '季红霞', idNumber: fakeId(2, '19780819'), employer: '东台市人民医院', jobTitle: '护士长', honours: [h('provincial_model', thisYear - 5, '江苏省人民政府'), h('mayday_provincial', thisYear - 8, '江苏省总工会')] } },
    { actor: county, orgId: dongtaiId, input: { name: '蔡国平', idNumber: fakeId(3, '19560103'), employer: '东台市弶港镇农机站', status: 'retired', honours: [h('city_model', 1998, '盐城市人民政府')] } },
    { actor: county, orgId: dongtaiId, input: { name: '孙德山', idNumber: fakeId(4, '19480915'), employer: '原东台市棉纺厂', status: 'deceased', honours: [h('provincial_model', 1989, '江苏省人民政府')] } },
    { actor: county, orgId: dongtaiId, input: { name: '徐小龙', idNumber: fakeId(5, '19900227'), employer: '东台市精密电子有限公司', jobTitle: '数控车工', honours: [h('craftsman_city', thisYear - 1, '盐城市总工会'), h('skill_expert', thisYear - 3, '盐城市人力资源和社会保障局')] } },
    { actor: county, orgId: dongtaiId, input: { name: '王春燕', idNumber: fakeId(6, '19850606'), employer: '东台市城东新区社区卫生服务中心', honours: [h('mayday_city', thisYear - 1, '盐城市总工会')] } },
    { actor: sheyang, orgId: sheyangId, input: { name: '陆海波', idNumber: fakeId(11, '19750320'), employer: '射阳县远景风电运维公司', jobTitle: '运维班长', honours: [h('city_model', thisYear - 3, '盐城市人民政府'), h('craftsman_city', thisYear - 2, '盐城市总工会')] } },
    { actor: sheyang, orgId: sheyangId, input: { name: '朱玉兰', idNumber: fakeId(12, '19690718'), employer: '射阳县纺织有限公司', status: 'retired', honours: [h('provincial_model', thisYear - 12, '江苏省人民政府')] } },
    { actor: sheyang, orgId: sheyangId, input: { name: '沈建军', idNumber: fakeId(13, '19880111'), employer: '射阳港发电有限公司', honours: [h('mayday_national', thisYear - 2, '中华全国总工会'), h('skill_expert', thisYear - 5, '人力资源和社会保障部')] } },
  ];

  const ids: { id: string; actor: StaffActor; status: string }[] = [];
  at(120);
  for (const p of people) {
    const made = await models.create(p.actor, META, { orgId: p.orgId, status: 'active', ...p.input });
    ids.push({ id: made.id, actor: p.actor, status: made.status });
  }
  // this year's grants: 春节慰问 to every living honoured person in February, 体检 to some in spring
  let grants = 0;
  const feb = `${thisYear}-02-05`;
  const apr = `${thisYear}-04-18`;
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  for (const [i, p] of ids.entries()) {
    if (p.status === 'deceased') continue;
    const d = await models.get(p.actor, p.id, thisYear);
    for (const e of d.entitlements) {
      const on = e.benefit === 'spring_visit' ? feb : e.benefit === 'checkup' && i % 2 === 0 ? apr : null;
      if (!on || on > today) continue;
      await models.grant(p.actor, META, p.id, { benefit: e.benefit as never, year: thisYear, grantedOn: on, note: e.benefit === 'spring_visit' ? '春节走访慰问' : null });
      grants++;
    }
  }
  await seedPointsTables(ctx, { county, now });
  const board = await seedBoard(ctx, { county, sheyang, city, dongtaiId, sheyangId, leads: ids.map((x) => x.id), now });
  const reform = await seedReform(ctx, { county, sheyang, now });
  const more = await seedModelsMore(ctx, { county, sheyang, now });
  // 宣讲员: 劳模名师 from the register, 职工名嘴, 思政教师 (sessions are tagged on 宣讲 activities as they are held)
  const lectures = services.features.models.lectures;
  const byName = new Map(people.map((p, i) => [p.input.name, ids[i]!.id]));
  const L: [StaffActor, string, 'model_teacher' | 'worker_speaker' | 'ideology_teacher', string, string][] = [
    [county, dongtaiId, 'model_teacher', '顾永兵', '大国重器里的焊花——劳模精神进校园'],
    [county, dongtaiId, 'model_teacher', '季红霞', '把病人当亲人——护理岗位上的劳模故事'],
    [county, dongtaiId, 'worker_speaker', '吴小春', '新就业形态劳动者的权益与保障'],
    [county, dongtaiId, 'ideology_teacher', '钱文华', '工匠精神与职业理想（思政课）'],
    [sheyang, sheyangId, 'model_teacher', '陆海波', '海上风电运维一线的故事'],
    [sheyang, sheyangId, 'worker_speaker', '金晓燕', '女职工权益保护专题'],
  ];
  for (const [actor, orgId, kind, name, topic] of L)
    await lectures.addLecturer(actor, META, { orgId, kind, name, modelPersonId: kind === 'model_teacher' ? (byName.get(name) ?? null) : null, topic });
  clock.replayAt(null);
  return [`劳模工匠 ${ids.length} 人（东台、射阳），待遇发放 ${grants} 笔，宣讲员 ${L.length} 名`, ...board, ...reform, ...more];
}

/**
 * 创新工作室 in both counties (one per kind in 东台) with achievements, and problems of registered
 * enterprises in every state, spread over the last months so the monthly figures show a trend.
 */
async function seedBoard(
  ctx: DemoPeopleContext,
  o: { county: StaffActor; sheyang: StaffActor; city: StaffActor; dongtaiId: string; sheyangId: string; leads: string[]; now: Date },
): Promise<string[]> {
  const { db, clock, services } = ctx;
  const board = services.features.models.board;
  const at = (daysAgo: number) => clock.replayAt(new Date(o.now.getTime() - daysAgo * DAY));
  const dayOf = (daysAgo: number) => new Date(o.now.getTime() - daysAgo * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  const enterprisesOf = (path: string) =>
    db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as g', 'g.id', 'e.org_id')
      .select(['e.id', 'e.name'])
      .where('g.path', 'like', `${path}%`)
      .orderBy('e.id')
      .limit(8)
      .execute();
  const dtE = await enterprisesOf(o.county.orgPath);
  const syE = await enterprisesOf(o.sheyang.orgPath);
  if (dtE.length < 4 || syE.length < 2) return [];
  const [gu, ji, , , xu] = o.leads.slice(o.leads.length === 10 ? 1 : 0);
  const lu = o.leads[o.leads.length - 3];

  at(200);
  const studios: Record<string, string> = {};
  const mk = async (actor: StaffActor, orgId: string, key: string, input: Omit<Parameters<typeof board.createStudio>[2], 'orgId'>) => {
    studios[key] = (await board.createStudio(actor, META, { orgId, ...input })).id;
  };
  await mk(o.county, o.dongtaiId, 'gu', { kind: 'model', name: '顾永兵劳模创新工作室', leadId: gu ?? null, enterpriseId: dtE[0]!.id, field: '海上风电焊接', level: 'provincial', namedYear: 2021, members: 18 });
  await mk(o.county, o.dongtaiId, 'xu', { kind: 'craftsman', name: '徐小龙工匠创新工作室', leadId: xu ?? null, enterpriseId: dtE[1]!.id, field: '精密数控加工', level: 'city', namedYear: 2024, members: 9 });
  await mk(o.county, o.dongtaiId, 'ji', { kind: 'women', name: '季红霞女职工创新工作室', leadId: ji ?? null, field: '护理流程改进', level: 'city', namedYear: 2023, members: 11 });
  await mk(o.county, o.dongtaiId, 'worker', { kind: 'worker', name: '东台纺织职工创新工作室', enterpriseId: dtE[2]!.id, field: '纺织设备改造', level: 'county', namedYear: 2025, members: 7 });
  await mk(o.county, o.dongtaiId, 'alliance', { kind: 'alliance', name: '东台市装备制造创新工作室联盟', field: '装备制造', level: 'city', namedYear: 2024, members: 46 });
  await mk(o.sheyang, o.sheyangId, 'lu', { kind: 'model', name: '陆海波劳模创新工作室', leadId: lu ?? null, enterpriseId: syE[0]!.id, field: '风电运维', level: 'city', namedYear: 2022, members: 14 });
  // achievements of this year and last (the points tables above score them when recorded)
  const Y = Number(new Date(o.now.getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const ach: [string, Parameters<typeof board.addAchievement>[3]][] = [
    ['gu', { kind: 'patent', title: '一种海上风电塔筒环缝自动焊接装置（实用新型）', year: Y, patentType: 'utility' }],
    ['gu', { kind: 'patent', title: '厚板窄间隙埋弧焊方法', year: Y, patentType: 'invention', awardLevel: 'provincial' }],
    ['gu', { kind: 'benefit', title: '塔筒焊接一次合格率提升至 99.2%', year: Y, benefit: '1260000.00' }],
    ['gu', { kind: 'apprentice', title: '带徒 12 名，其中 3 人取得高级技师', year: Y }],
    ['xu', { kind: 'five_small', title: '数控刀具快速对刀工装', year: Y, awardLevel: 'city' }],
    ['xu', { kind: 'innovation', title: '薄壁件减振车削夹具', year: Y }],
    ['ji', { kind: 'innovation', title: '静脉输液巡视提醒流程改进', year: Y - 1, awardLevel: 'county' }],
    ['worker', { kind: 'five_small', title: '细纱机断头自动报警装置', year: Y }],
    ['lu', { kind: 'benefit', title: '风机齿轮箱故障预警，减少停机 320 小时', year: Y, benefit: '860000.00' }],
    ['lu', { kind: 'patent', title: '风机叶片前缘防护涂层修复工具（外观设计）', year: Y, patentType: 'design' }],
  ];
  for (const [k, a] of ach) await board.addAchievement(k === 'lu' ? o.sheyang : o.county, META, studios[k]!, a);

  // problems: [actor, enterprise, title, field, postedDaysAgo, outcome, studio]
  type Outcome = 'open' | 'claimed' | 'solved' | 'confirmed' | 'withdrawn';
  const P: [StaffActor, { id: string; name: string }, string, string, number, Outcome, string | null][] = [
    [o.county, dtE[0]!, '厚板焊缝超声探伤合格率偏低', '焊接', 170, 'confirmed', 'gu'],
    [o.county, dtE[1]!, '薄壁件车削振纹', '数控加工', 140, 'confirmed', 'xu'],
    [o.county, dtE[2]!, '细纱机断头率高', '纺织设备', 110, 'confirmed', 'worker'],
    [o.county, dtE[3]!, '注塑件缩痕导致返工', '模具', 80, 'confirmed', 'alliance'],
    [o.county, dtE[0]!, '法兰平面度超差', '机械加工', 50, 'solved', 'gu'],
    [o.county, dtE[1]!, '主轴温升过快', '设备维修', 30, 'claimed', 'xu'],
    [o.county, dtE[3]!, '喷涂线批次色差', '表面处理', 12, 'open', null],
    [o.county, dtE[2]!, '染色废水回用率低', '环保工艺', 20, 'withdrawn', null],
    [o.sheyang, syE[0]!, '风机叶片前缘腐蚀', '风电运维', 120, 'confirmed', 'lu'],
    [o.sheyang, syE[1]!, '光伏组件热斑排查效率低', '新能源', 40, 'claimed', 'lu'],
    [o.sheyang, syE[1]!, '冷库压缩机能耗偏高', '制冷', 8, 'open', null],
  ];
  let n = 0;
  for (const [actor, e, title, field, ago, outcome, studio] of P) {
    at(ago);
    let p = await board.post(actor, META, { enterpriseId: e.id, title, field, description: `${e.name}反映：${title}，影响生产效率和产品质量，希望劳模工匠团队帮助攻关。`, deadline: dayOf(ago - 60) });
    n++;
    if (outcome === 'withdrawn') {
      at(ago - 3);
      await board.withdraw(actor, META, p.id, { reason: '企业引进新设备后问题消除', version: p.version });
      continue;
    }
    if (outcome === 'open' || !studio) continue;
    at(ago - 4);
    p = await board.claim(actor, META, p.id, { studioId: studios[studio]!, version: p.version });
    at(ago - 9);
    await board.addRecord(actor, META, p.id, { kind: 'visit', onDay: dayOf(ago - 9), text: '工作室成员到企业现场查看，收集数据' });
    if (outcome === 'claimed') continue;
    at(ago - 20);
    p = await board.solve(actor, META, p.id, { result: `经现场试验调整工艺参数，“${title}”问题已消除，形成作业指导书一份。`, peopleInvolved: 3 + (n % 4), version: p.version + 0 });
    if (outcome === 'solved') continue;
    at(ago - 25);
    // four eyes (decision 045): the level above records the enterprise's word, not the account that claimed and solved it
    await board.confirm(o.city, META, p.id, { accept: true, confirmedBy: '企业生产部负责人', note: '效果良好', version: p.version });
  }
  return [`创新工作室 ${Object.keys(studios).length} 个，助企行难题 ${n} 个（各状态）`];
}

/** 产改 pilots: three in 东台 and two in 射阳, their task / problem lists partly done (one late), last year's and this year's stars. */
async function seedReform(ctx: DemoPeopleContext, o: { county: StaffActor; sheyang: StaffActor; now: Date }): Promise<string[]> {
  const { db, clock, services } = ctx;
  const reform = services.features.reform.service;
  const at = (daysAgo: number) => clock.replayAt(new Date(o.now.getTime() - daysAgo * DAY));
  const dayOf = (daysAgo: number) => new Date(o.now.getTime() - daysAgo * DAY + 8 * 3600_000).toISOString().slice(0, 10);
  const year = Number(dayOf(0).slice(0, 4));
  const pick = (path: string) =>
    db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as g', 'g.id', 'e.org_id')
      .select(['e.id'])
      .where('g.path', 'like', `${path}%`)
      .where('e.employees', '>=', 100)
      .orderBy('e.employees', 'desc')
      .limit(3)
      .execute();
  const dt = await pick(o.county.orgPath);
  const sy = await pick(o.sheyang.orgPath);
  const criteria = (await reform.criteria(o.county)).items.filter((c) => c.active);
  const TASKS: [string, string, number, number | null][] = [
    ['制定技能人才薪酬分配激励办法', '人力资源部', 150, 160],
    ['建立首席技师、技能大师工作室制度', '工会', 120, 118],
    ['开展年度职工技能竞赛', '工会', 60, 55],
    ['新型学徒制培训 30 人', '培训中心', 20, null],
  ];
  let n = 0;
  for (const [actor, list, pct] of [
    [o.county, dt, [0.93, 0.84, 0.72]],
    [o.sheyang, sy, [0.88, 0.65]],
  ] as const) {
    for (const [i, e] of list.slice(0, pct.length).entries()) {
      at(200);
      const p = await reform.create(actor, META, { enterpriseId: e.id, sinceYear: year - 1, note: '市级产改试点企业' });
      for (const [title, owner, due, done] of TASKS) await reform.addItem(actor, META, p.id, { kind: 'task', title, owner, dueOn: dayOf(due) });
      await reform.addItem(actor, META, p.id, { kind: 'problem', title: '高技能人才引进难、留住难', owner: '总经理', dueOn: dayOf(-60) });
      const d = await reform.get(actor, p.id);
      for (const [k, t] of d.tasks.entries()) {
        const done = TASKS.find((x) => x[0] === t.title)?.[3];
        if (done === null || done === undefined || (i === 2 && k > 1)) continue;
        at(done);
        await reform.finishItem(actor, META, p.id, t.id, { doneOn: dayOf(done), evidence: '相关文件已印发，见企业职代会决议及培训台账' });
      }
      at(10);
      await reform.rate(actor, META, p.id, {
        year,
        rater: actor === o.county ? '东台市总工会产改评审组' : '射阳县总工会产改评审组',
        scores: criteria.map((c) => ({ criterionId: c.id, score: Math.round(c.maxScore * pct[i]!) })),
      });
      n++;
    }
  }
  return n ? [`产改试点企业 ${n} 家（含评星定级）`] : [];
}
