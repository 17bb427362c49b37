// Demo records of the activity types for `npm start` (seed/demo-modules.ts, after the core's demo
// activities): a session with a check-in QR for the demo training, a 知识竞赛 with a question bank,
// a 暑托班 with two classes and a 技能竞赛 with its first round — so each type's pages have data.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

const day = (d: Date, plus: number) => new Date(d.getTime() + plus * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);

const QUESTIONS = [
  { stem: '工会经费按全部职工工资总额的多少拨缴？', kind: 'single', options: ['1%', '2%', '3%'], answer: 'B', points: 20 },
  { stem: '以下哪些属于新就业形态劳动者？', kind: 'multi', options: ['快递员', '外卖配送员', '网约车司机', '公务员'], answer: 'A,B,C', points: 30 },
  { stem: '工会会员有按规定交纳会费的义务。', kind: 'judge', options: ['正确', '错误'], answer: 'A', points: 10 },
  {
    stem: '《中华人民共和国工会法》规定，中华全国总工会及其各工会组织代表职工的利益，依法维护职工的合法权益。',
    kind: 'judge',
    options: ['正确', '错误'],
    answer: 'A',
    points: 10,
  },
  {
    stem: '职工因工作遭受事故伤害，应当在多少日内申请工伤认定（用人单位未申请时，本人可在 1 年内申请）？',
    kind: 'single',
    options: ['15 日', '30 日', '60 日', '90 日'],
    answer: 'B',
    points: 30,
  },
] as const;

export async function seedActivityTypesDemo(db: Kysely<DB>, now: Date): Promise<string | null> {
  const already = await db.selectFrom('quiz_questions').select('id').limit(1).executeTakeFirst();
  if (already) return null;
  const city = await db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').orderBy('id').executeTakeFirst();
  if (!city) return null;
  const admin = await db.selectFrom('staff_accounts').select('id').where('username', '=', 'city_admin').executeTakeFirst();
  // Dates and the years in titles follow the story's clock: the coming summer (next year's from
  // June on), the contest three weeks ahead — so a "2027" title is never dated 2026.
  const today = day(now, 0);
  const summer = String(Number(today.slice(0, 4)) + (today.slice(5, 7) >= '06' ? 1 : 0));
  const base = {
    org_id: city.id,
    org_path: city.path,
    eligibility: '{}',
    status: 'published' as const,
    published_at: now,
    created_by: admin?.id ?? null,
    created_at: now,
    updated_at: now,
    enrollment_mode: 'fcfs' as const,
    opens_at: now,
    closes_at: new Date(now.getTime() + 30 * 86400_000),
    cost_per_person: '0.00',
    contact_name: '市总工会职工服务部',
    contact_phone: '0515-88888888',
  };

  const training = await db.selectFrom('activities').select('id').where('type', '=', 'training').orderBy('id').executeTakeFirst();
  if (training) {
    const start = new Date(now.getTime() + 7 * 86400_000);
    await db
      .insertInto('training_sessions')
      .values({ activity_id: training.id, title: '第一讲：劳动合同与工伤保险', starts_at: start, ends_at: new Date(start.getTime() + 2 * 3600_000) })
      .execute();
  }

  const quiz = await db
    .insertInto('activities')
    .values({
      ...base,
      type: 'quiz',
      title: '“尊法守法·携手筑梦”工会法知识竞赛',
      description: '限时 10 分钟，每人一次，交卷后即时出分。本竞赛不公布个人排名。',
      locations: JSON.stringify(['线上']),
      starts_on: day(now, 0),
      ends_on: day(now, 30),
      budget: '2000.00',
      settings: JSON.stringify({ timeLimitMinutes: 10, showRanking: false }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_batches')
    .values({ activity_id: quiz.id, title: '线上答题', sort_order: 0, places_general: 5000, lottery_places: null })
    .execute();
  await db
    .insertInto('quiz_questions')
    .values(
      QUESTIONS.map((q, i) => ({
        activity_id: quiz.id,
        no: i + 1,
        stem: q.stem,
        kind: q.kind,
        options: JSON.stringify(q.options.map((text, k) => ({ key: 'ABCD'[k]!, text }))),
        answer: q.answer,
        points: q.points,
      })),
    )
    .execute();

  const childcare = await db
    .insertInto('activities')
    .values({
      ...base,
      type: 'childcare',
      title: `${summer} 年职工子女暑期托管班`,
      description: '面向 6–12 周岁职工子女，每个孩子每期限报一个班；上一期出勤率低于 70% 的孩子本期不能报名。',
      locations: JSON.stringify(['盐城市工人文化宫', '亭湖区职工之家']),
      starts_on: `${summer}-07-05`,
      ends_on: `${summer}-08-13`,
      budget: '220000.00',
      settings: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_batches')
    .values([
      {
        activity_id: childcare.id,
        title: '文化宫一班',
        location: '盐城市工人文化宫',
        starts_on: `${summer}-07-05`,
        ends_on: `${summer}-08-13`,
        sort_order: 0,
        places_general: 45,
        lottery_places: null,
      },
      {
        activity_id: childcare.id,
        title: '亭湖职工之家班',
        location: '亭湖区职工之家',
        starts_on: `${summer}-07-05`,
        ends_on: `${summer}-08-13`,
        sort_order: 1,
        places_general: 40,
        lottery_places: null,
      },
    ])
    .execute();

  const contest = await db
    .insertInto('activities')
    .values({
      ...base,
      type: 'contest',
      title: `${day(now, 20).slice(0, 4)} 年盐城市职工职业技能大赛（电工）`,
      description: '理论考试与实操考核，按总分排名，颁发荣誉证书（可扫码核验）。',
      locations: JSON.stringify(['盐城技师学院']),
      starts_on: day(now, 20),
      ends_on: day(now, 21),
      budget: '50000.00',
      settings: JSON.stringify({ industry: '制造业', workType: '电工' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_batches')
    .values({ activity_id: contest.id, title: '市级决赛', location: '盐城技师学院', sort_order: 0, places_general: 120, lottery_places: null })
    .execute();
  await db.insertInto('contest_rounds').values({ activity_id: contest.id, no: 1, name: '理论考试', max_score: '100.00' }).execute();

  return '活动类型：培训签到场次、知识竞赛题库（5 题）、暑托班两个班、技能竞赛（电工）';
}
