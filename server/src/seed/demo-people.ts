// Demo people for `npm start` (demo mode): ~30 members in a few grassroots unions of 东台市 and
// 射阳县, a demo worker phone for the H5, service applications at different stages, two
// 困难职工档案 and a few activity enrollments. Everything after the roll goes through the app's own
// services (workflow engine, hardship flow, activities), so timelines, budgets, messages and the
// audit trail are what the product would have written. The story is replayed on a clock set back
// a few weeks (a 困难职工档案 needs a finished 公示期 before it is established).
// Idempotent: a database that already holds the first demo person gets nothing.
import type { Kysely } from 'kysely';
import type { Services } from '../app.js';
import type { DB, EmploymentForm } from '../db/schema.js';
import { workersRepository } from '../modules/auth/auth.repository.js';
import { applicationsRepository } from '../modules/applications/applications.repository.js';
import { admitMany, validateMemberRow, type BulkAdmitRow } from '../modules/members/members.bulk.js';
import { PHONE_DOMAIN } from '../modules/members/members.people.js';
import { chinaDay, chinaYear } from '../platform/china-time.js';
import type { Clock } from '../platform/clock.js';
import type { WorkerActor } from '../platform/context.js';
import { maskPhone, type FieldCrypto } from '../platform/crypto.js';
import { residentIdCheckChar } from '../platform/validators.js';
import { seedRightsDemo } from './demo-rights.js';
import { seedNoticesDemo } from './demo-notices.js';
import { DEMO_META, demoStaff } from './demo-actors.js';

/** The demo worker's phone: sign in on the H5 with it (demo mode shows the SMS code on the page). */
export const DEMO_WORKER_PHONE = '13900000001';

/** A clock that tells the real time, except while the demo seed replays its story in the past. */
export interface ReplayClock extends Clock {
  replayAt(at: Date | null): void;
}

export class DemoClock implements ReplayClock {
  private at: Date | null = null;
  now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
  replayAt(at: Date | null): void {
    this.at = at ? new Date(at) : null;
  }
}

type Union = 'A' | 'B' | 'C' | 'D' | 'E';
interface DemoPerson {
  name: string;
  sex: 'M' | 'F';
  born: string;
  union: Union;
  job: string;
  form?: EmploymentForm;
  /** Has an H5 account (applies or enrolls in the story). */
  worker?: boolean;
}

// A = the demo grassroots account's enterprise, B = another enterprise of the same town (东台市),
// C = that town's 小微企业联合工会 (gig workers), D = an enterprise of 射阳县, E = 射阳县's 联合工会.
const PEOPLE: DemoPerson[] = [
  { name: '张建国', sex: 'M', born: '19850312', union: 'A', job: '装配钳工', worker: true },
  { name: '王秀英', sex: 'F', born: '19790521', union: 'A', job: '质检员', worker: true },
  { name: '李志强', sex: 'M', born: '19920808', union: 'A', job: '数控车工', worker: true },
  { name: '刘海燕', sex: 'F', born: '19880115', union: 'A', job: '仓库管理员', worker: true },
  { name: '陈红梅', sex: 'F', born: '19750930', union: 'A', job: '车间主任' },
  { name: '杨国华', sex: 'M', born: '19810204', union: 'A', job: '维修电工', worker: true },
  { name: '赵丽娟', sex: 'F', born: '19950617', union: 'A', job: '统计员' },
  { name: '黄明伟', sex: 'M', born: '19900722', union: 'A', job: '焊工' },
  { name: '周芳', sex: 'F', born: '19870411', union: 'A', job: '食堂厨师' },
  { name: '吴军', sex: 'M', born: '19730826', union: 'A', job: '叉车司机' },
  { name: '徐建华', sex: 'M', born: '19830119', union: 'B', job: '纺织挡车工', worker: true },
  { name: '孙玉兰', sex: 'F', born: '19770603', union: 'B', job: '缝纫工' },
  { name: '胡永刚', sex: 'M', born: '19910927', union: 'B', job: '机修工' },
  { name: '朱桂芳', sex: 'F', born: '19800212', union: 'B', job: '包装工' },
  { name: '高文斌', sex: 'M', born: '19960505', union: 'B', job: '设备操作员' },
  { name: '林小红', sex: 'F', born: '19930318', union: 'B', job: '质检员' },
  { name: '何大勇', sex: 'M', born: '19890707', union: 'C', job: '快递员', form: 'courier' },
  { name: '郭淑珍', sex: 'F', born: '19860125', union: 'C', job: '外卖配送员', form: 'food_delivery', worker: true },
  { name: '马超', sex: 'M', born: '19970914', union: 'C', job: '外卖配送员', form: 'food_delivery' },
  { name: '罗春燕', sex: 'F', born: '19840402', union: 'C', job: '网约车司机', form: 'ride_hailing' },
  { name: '梁建军', sex: 'M', born: '19820811', union: 'D', job: '风电叶片装配工', worker: true },
  { name: '宋晓梅', sex: 'F', born: '19900130', union: 'D', job: '化验员' },
  { name: '郑国庆', sex: 'M', born: '19781001', union: 'D', job: '电工', worker: true },
  { name: '谢婷婷', sex: 'F', born: '19980623', union: 'D', job: '文员' },
  { name: '韩磊', sex: 'M', born: '19870519', union: 'D', job: '焊工' },
  { name: '唐丽', sex: 'F', born: '19850808', union: 'D', job: '包装工' },
  { name: '冯海涛', sex: 'M', born: '19760315', union: 'E', job: '货车司机', form: 'truck_driver' },
  { name: '于秀兰', sex: 'F', born: '19830729', union: 'E', job: '快递员', form: 'courier' },
  { name: '董卫东', sex: 'M', born: '19800916', union: 'E', job: '货车司机', form: 'truck_driver' },
  { name: '程静', sex: 'F', born: '19940227', union: 'E', job: '网约车司机', form: 'ride_hailing' },
];

/** County-level codes of 盐城市 (GB/T 2260): where the demo people's ID numbers say they registered. */
export const YANCHENG_REGIONS: Record<string, string> = {
  '320902': '亭湖区',
  '320903': '盐都区',
  '320904': '大丰区',
  '320921': '响水县',
  '320922': '滨海县',
  '320923': '阜宁县',
  '320924': '射阳县',
  '320925': '建湖县',
  '320981': '东台市',
};
const REGION_LIST = Object.keys(YANCHENG_REGIONS);

/** Where demo person i registered: mostly the county of their union, every fourth from elsewhere in 盐城. */
const regionOf = (i: number, union: Union) => (i % 4 === 3 ? REGION_LIST[i % REGION_LIST.length]! : union === 'D' || union === 'E' ? '320924' : '320981');

/**
 * A demo resident ID: a real 盐城 region code, the person's birth date, a sequence code and a
 * valid GB 11643 check character — the numbers of fictitious people (made-up names and phones,
 * 演示数据 everywhere), not anyone's real number.
 */
export function demoResidentId(i: number, born: string, sex: 'M' | 'F', region = '320981'): string {
  const body = `${region}${born}${String((10 + i) % 100).padStart(2, '0')}${sex === 'M' ? 1 + 2 * (i % 5) : 2 * (i % 5)}`;
  return body + residentIdCheckChar(body);
}
const OFFICE_JOBS = new Set(['车间主任', '统计员', '文员', '化验员']);
const phoneOf = (i: number) => `139${String(i + 1).padStart(8, '0')}`;

export interface DemoPeopleContext {
  db: Kysely<DB>;
  crypto: FieldCrypto;
  clock: ReplayClock;
  services: Pick<Services, 'audit' | 'members' | 'features'>;
}

/** "2026 年 8 月至 9 月": the China-time months `from` to `to` months before a moment (the story's months, not fixed ones). */
function monthSpan(d: Date, from: number, to: number): string {
  const [y, m] = chinaDay(d).split('-').map(Number) as [number, number];
  const at = (n: number) => [Math.floor((y * 12 + m - 1 - n) / 12), ((y * 12 + m - 1 - n) % 12) + 1] as const;
  const [y1, m1] = at(from);
  const [y2, m2] = at(to);
  return y1 === y2 ? `${y1} 年 ${m1} 月至 ${m2} 月` : `${y1} 年 ${m1} 月至 ${y2} 年 ${m2} 月`;
}

const META = DEMO_META;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The demo worker (phone, name, union) when the demo people are there, for the start banner. */
export async function demoWorker(ctx: Pick<DemoPeopleContext, 'db' | 'crypto'>) {
  const row = await ctx.db
    .selectFrom('people as p')
    .innerJoin('memberships as m', 'm.person_id', 'p.id')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['p.name', 'o.name as orgName'])
    .where('p.phone_bidx', '=', ctx.crypto.blindIndex(DEMO_WORKER_PHONE, PHONE_DOMAIN))
    .where('m.status', '=', 'active')
    .executeTakeFirst();
  return row ? { phone: DEMO_WORKER_PHONE, name: row.name, orgName: row.orgName } : null;
}

const staff = demoStaff;

/** The grassroots-level unions of a subtree, oldest first. */
async function unionsUnder(db: Kysely<DB>, path: string, type: 'grassroots' | 'joint_grassroots') {
  return db
    .selectFrom('orgs')
    .select(['id', 'name', 'path'])
    .where('path', 'like', `${path}%`)
    .where('type', '=', type)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

// A 1×1 PNG: the 困难证明 attachment of the aid application (stored under DATA_DIR/files like any upload).
const PROOF_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

export async function seedPeopleDemo(ctx: DemoPeopleContext): Promise<string[]> {
  const { db, crypto, clock, services } = ctx;
  // Only into a roll with nobody on it: whatever the keys (a lookup by ID number depends on the
  // blind-index key, so a start with other keys found nobody and loaded the story again). main.ts
  // calls this only in the start that loaded the demo tree (bootstrap.ts prepareDatabase).
  if (await db.selectFrom('people').select('id').limit(1).executeTakeFirst()) return [];
  const [grassroots, town, county, sheyang, city] = await Promise.all(
    ['grassroots_admin', 'town_admin', 'county_admin', 'sheyang_admin', 'city_admin'].map((u) => staff(db, u)),
  );
  if (!grassroots || !town || !county || !sheyang || !city) return []; // not the demo tree
  const dongtaiTown = await unionsUnder(db, town.orgPath, 'grassroots');
  const unions: Record<Union, { id: string; name: string } | undefined> = {
    A: dongtaiTown.find((o) => o.id === grassroots.orgId),
    B: dongtaiTown.find((o) => o.id !== grassroots.orgId),
    C: (await unionsUnder(db, town.orgPath, 'joint_grassroots'))[0],
    D: (await unionsUnder(db, sheyang.orgPath, 'grassroots'))[0],
    E: (await unionsUnder(db, sheyang.orgPath, 'joint_grassroots'))[0],
  };
  unions.D ??= unions.E; // the synthetic tree may give 射阳县 no enterprise union
  if (!unions.A || !unions.B || !unions.C || !unions.E) return [];

  const base = clock.now();
  const at = (daysAgo: number, hour: number) => {
    // Whole China-time days back, then the hour of that day (never later than now).
    const day = chinaDay(new Date(base.getTime() - daysAgo * DAY));
    return new Date(Math.min(Date.parse(`${day}T00:00:00+08:00`) + hour * HOUR, base.getTime() - 60_000));
  };
  const story: string[] = [];
  const workers = new Map<number, WorkerActor>();
  try {
    // ---- the roll: H5 accounts for those who act, then one batched admission with its audit row ----
    clock.replayAt(at(40, 9));
    for (const [i, p] of PEOPLE.entries()) {
      if (!p.worker) continue;
      const phone = phoneOf(i);
      const w = await workersRepository.upsertByPhone(db, {
        phone_enc: crypto.encrypt(phone),
        phone_bidx: crypto.blindIndex(phone, PHONE_DOMAIN),
        phone_masked: maskPhone(phone),
        last_login_at: clock.now(),
      });
      workers.set(i, { type: 'worker', workerId: w.id, phoneMasked: w.phone_masked, sessionId: 'demo-seed' });
    }
    const rows: BulkAdmitRow[] = PEOPLE.map((p, i) => {
      const union = unions[p.union]!;
      const checked = validateMemberRow({
        person: { idType: 'resident_id', idNumber: demoResidentId(i, p.born, p.sex, regionOf(i, p.union)), name: p.name, phone: phoneOf(i) },
        employment: {
          employerName: union.name.replace(/(工会委员会|工会)$/, ''),
          jobTitle: p.job,
          employmentForm: p.form ?? 'standard',
          isMigrantWorker: !!p.form,
          isModelWorker: i === 4,
          // 一线职工 on the roll (activity batches may be limited to them): everyone but the office jobs
          isFrontline: !OFFICE_JOBS.has(p.job),
        },
      });
      if (!checked.ok) throw new Error(`演示会员 ${p.name} 数据有误：${JSON.stringify(checked.fields)}`);
      // Most joined over the years; a quarter of those without an H5 account joined in the last ten months
      // (the new-member figures, the cockpit and the targets count them this year).
      const recent = !p.worker && i % 4 === 1;
      const joinedOn = recent ? chinaDay(new Date(base.getTime() - (20 + i * 9) * DAY)) : `${2012 + (i % 13)}-0${1 + (i % 9)}-15`;
      return { ...checked.value, orgId: union.id, workerId: workers.get(i)?.workerId ?? null, joinedOn };
    });
    const membershipOf = new Map<number, string>();
    // Each member joins on their own join date, so the roll's timeline (membership events, member
    // numbers) says 2012 for a member who joined in 2012; the import's audit row is written now.
    const joinDays = [...new Set(rows.map((r) => r.joinedOn!))].sort();
    for (const joinedOn of joinDays) {
      const which = rows.flatMap((r, i) => (r.joinedOn === joinedOn ? [i] : []));
      clock.replayAt(new Date(`${joinedOn}T09:00:00+08:00`));
      await db.transaction().execute(async (trx) => {
        const outcomes = await admitMany(
          trx,
          { crypto, clock },
          which.map((i) => rows[i]!),
          { source: 'staff', actor: { type: 'system', id: null, name: '系统（演示数据）' }, reason: '演示数据' },
        );
        outcomes.forEach((o, k) => {
          if (!o.ok) throw new Error(`演示会员 ${PEOPLE[which[k]!]!.name} 未能入会：${o.message}`);
          membershipOf.set(which[k]!, o.membershipId);
        });
      });
    }
    clock.replayAt(at(40, 9));
    await db.transaction().execute(async (trx) => {
      await services.audit.append(trx, {
        actorType: 'system',
        actorId: null,
        actorName: '系统（演示数据）',
        ip: META.ip,
        requestId: META.requestId,
        action: 'member.import',
        targetType: 'org',
        targetId: null,
        orgId: null,
        outcome: 'success',
        detail: { source: 'demo', admitted: membershipOf.size },
      });
    });
    story.push(`${PEOPLE.length} 名演示会员（东台市、射阳县 ${new Set(PEOPLE.map((p) => unions[p.union]!.id)).size} 个基层工会）`);

    // ---- 困难职工档案: one established (公示期满), one waiting for the county's review ----
    const hardship = services.features.hardship.service;
    clock.replayAt(at(24, 9.5));
    let f = await hardship.create(grassroots, META, {
      membershipId: membershipOf.get(4)!,
      mainCause: 'illness',
      secondaryCauses: ['schooling'],
      headHealth: '良好',
      headWork: '在岗',
      headMonthlyIncome: '3200.00',
      address: '东台市东台镇望海东路 18 号 2 幢 301 室',
      situation: '配偶患尿毒症，每周透析三次，医保报销后每月自付约 2,600 元；儿子读高中，家庭收入主要靠本人工资。',
      family: [
        {
          name: '沈建平',
          relation: '配偶',
          idNumber: demoResidentId(90, '19740418', 'M', '320981'),
          health: '尿毒症（透析）',
          work: '无业',
          monthlyIncome: '0.00',
        },
        { name: '沈浩', relation: '子女', idNumber: undefined, health: '健康', work: '高中在读', monthlyIncome: '0.00' },
      ],
    });
    clock.replayAt(at(24, 15));
    // four eyes (decision 045): the town, not the grassroots account that submitted it, passes the first review
    f = await hardship.firstReview(town, META, f.id, { version: f.version, action: 'approve', comment: '情况属实，同意上报' });
    clock.replayAt(at(23, 10));
    f = await hardship.visit(town, META, f.id, {
      version: f.version,
      visitedOn: chinaDay(clock.now()),
      visitors: '镇工会 周文、企业工会 赵丽娟',
      findings: '入户查看透析费用票据和收入证明，家庭人均月收入低于当地低保标准的 1.5 倍，情况属实。',
    });
    clock.replayAt(at(22, 10));
    const noticeStart = chinaDay(clock.now());
    f = await hardship.countyReview(county, META, f.id, {
      version: f.version,
      action: 'approve',
      comment: '符合建档条件',
      noticeStart,
      noticeEnd: chinaDay(new Date(clock.now().getTime() + 6 * DAY)),
    });
    clock.replayAt(at(14, 10));
    f = await hardship.establish(county, META, f.id, { version: f.version, comment: '公示期满无异议，予以建档' });

    clock.replayAt(at(6, 10));
    let g = await hardship.create(town, META, {
      membershipId: membershipOf.get(18)!,
      mainCause: 'accident',
      secondaryCauses: [],
      headHealth: '右腿骨折，康复中',
      headWork: '停工休养',
      headMonthlyIncome: '800.00',
      address: '东台市东台镇红兰路 6 号',
      situation: '配送途中发生交通事故右腿骨折，停工三个月，收入骤降；父亲年迈多病，需本人赡养。',
      family: [{ name: '马德福', relation: '父亲', idNumber: undefined, health: '高血压、慢阻肺', work: '务农', monthlyIncome: '300.00' }],
    });
    clock.replayAt(at(6, 15));
    g = await hardship.firstReview(county, META, g.id, { version: g.version, action: 'approve', comment: '同意' });
    clock.replayAt(at(5, 10));
    g = await hardship.visit(town, META, g.id, {
      version: g.version,
      visitedOn: chinaDay(clock.now()),
      visitors: '镇工会 周文、联合工会 罗春燕',
      findings: '入户核实伤情诊断和收入情况，属实。',
    });
    story.push('2 份困难职工档案（已建档、待县级审核各 1 份）');

    // ---- service applications, moved by the workflow engine ----
    const apps = services.features.applications.service;
    const typeId = async (code: string) => (await applicationsRepository.typeByCode(db, code))!.id;
    const key = (n: string) => `demo-seed-${n}`;

    // 困难帮扶 by the demo worker: three levels approve, aid paid from 东台市总工会's budget.
    const clampToYear = (d: Date) => (chinaYear(d) === chinaYear(base) ? d : new Date(Date.parse(`${chinaYear(base)}-01-01T09:00:00+08:00`)));
    clock.replayAt(clampToYear(at(20, 20)));
    const proof = await apps.upload(workers.get(0)!, META, PROOF_PNG, '住院诊断证明.png');
    const aidApp = await apps.submit(workers.get(0)!, META, {
      serviceTypeId: await typeId('hardship_aid'),
      values: { category: '医疗救助', amount: '5000.00', reason: '本人腰椎间盘突出手术住院 12 天，自付医疗费 1.2 万元，家中还有两位老人需赡养。' },
      attachments: { proof: [proof.id] },
      idempotencyKey: key('aid'),
    });
    let v = aidApp.version;
    for (const [daysAgo, actor, input] of [
      [19, grassroots, { action: 'approve', comment: '情况属实，同意' }],
      [18, county, { action: 'approve', comment: '同意，报市总审批' }],
      [17, city, { action: 'approve', comment: '同意按 3000 元救助', amount: '3000.00' }],
    ] as const) {
      clock.replayAt(clampToYear(at(daysAgo, 10)));
      v = (await apps.act(actor, META, aidApp.id, { ...input, version: v })).version;
    }

    // 维权申请 by the demo worker, returned for more proof (answer it on the H5).
    clock.replayAt(at(3, 20));
    const rights = await apps.submit(workers.get(0)!, META, {
      serviceTypeId: await typeId('rights'),
      values: { issue: '欠薪', counterparty: '东台恒信物流有限公司', facts: `${monthSpan(base, 4, 3)}在该公司做临时装卸工，两个月工资 9,600 元至今未付。` },
      attachments: {},
      idempotencyKey: key('rights'),
    });
    clock.replayAt(at(2, 10));
    await apps.act(grassroots, META, rights.id, {
      action: 'return',
      version: rights.version,
      comment: '请补充工资条、考勤记录或银行流水等能证明欠薪月份和金额的材料',
    });

    // 就业帮扶: the grassroots union accepted it, now with 东台市总工会.
    clock.replayAt(at(4, 9));
    const job = await apps.submit(workers.get(3)!, META, {
      serviceTypeId: await typeId('employment'),
      values: { intention: '电商客服或仓储管理', education: '高中/中专', needTraining: '是', contactPhone: phoneOf(3) },
      attachments: {},
      idempotencyKey: key('employment'),
    });
    clock.replayAt(at(3, 11));
    await apps.act(grassroots, META, job.id, { action: 'approve', version: job.version, comment: '已受理，转县总就业服务' });

    // Just submitted: 法律援助 (东台, with the grassroots union) and 心理咨询 (射阳, with the county).
    clock.replayAt(new Date(base.getTime() - 2 * HOUR));
    await apps.submit(workers.get(2)!, META, {
      serviceTypeId: await typeId('legal_aid'),
      values: {
        disputeType: '工伤',
        employer: unions.A.name.replace(/工会委员会$/, ''),
        facts: '上月在车间被机床划伤左手，公司未申报工伤。',
        contactPhone: phoneOf(2),
      },
      attachments: {},
      idempotencyKey: key('legal'),
    });
    clock.replayAt(new Date(base.getTime() - HOUR));
    await apps.submit(workers.get(20)!, META, {
      serviceTypeId: await typeId('counselling'),
      values: { preferredDate: chinaDay(new Date(base.getTime() + 3 * DAY)), preferredTime: '晚上', mode: '电话', concern: '夜班多，长期失眠焦虑' },
      attachments: {},
      idempotencyKey: key('counselling'),
    });
    story.push('5 件服务申请（刚提交、退回补正、县级办理中、已办结并发放帮扶资金 3000 元）');

    // ---- 维权: consultations, cases, letters, tickets in 东台市 and 射阳县 (seed/demo-rights.ts) ----
    story.push(
      ...(await seedRightsDemo({
        clock,
        rights: services.features.rights.service,
        at,
        staff: { grassroots, town, county, sheyang, city },
        workers: { demo: workers.get(0), other: workers.get(10), rider: workers.get(17), sheyang: workers.get(20) },
        db,
      })),
    );
    // ---- 通知公告 and 资讯 (seed/demo-notices.ts) ----
    story.push(
      ...(await seedNoticesDemo({
        clock,
        notices: services.features.notices,
        at,
        staff: { town, county, sheyang, city },
        workers: { demo: workers.get(0), sheyang: workers.get(20) },
      })),
    );
  } finally {
    clock.replayAt(null);
  }

  // ---- enrollments in the open demo activities (now: the windows opened at start) ----
  const activities = services.features.activities.service;
  let enrolled = 0;
  for (const [i, type] of [
    [0, 'training'],
    [1, 'training'],
    [10, 'training'],
    [17, 'training'],
    [5, 'contest'],
    [22, 'contest'],
  ] as const) {
    const worker = workers.get(i);
    if (!worker) continue;
    const open = await activities.openToWorker(worker, { type, page: 1, pageSize: 10 });
    const a = open.items.find((x) => !x.myEnrollment);
    if (!a) continue;
    await activities.enroll(worker, META, a.id, { details: {} });
    enrolled++;
  }
  if (enrolled) story.push(`${enrolled} 条活动报名（培训、技能竞赛）`);
  return story;
}
