// Demo activities for `npm start` (seed/demo-modules.ts): a published 疗休养 programme of 盐城市总工会
// with two batches whose sign-up opens a few minutes after start (the H5 counts down), and a training
// session open now — so the console and the H5 are not empty.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

const day = (d: Date, plus: number) => new Date(d.getTime() + plus * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);

export async function seedActivitiesDemo(db: Kysely<DB>, now: Date): Promise<string | null> {
  const existing = await db.selectFrom('activities').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const city = await db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'city').orderBy('id').executeTakeFirst();
  if (!city) return null;
  const admin = await db.selectFrom('staff_accounts').select('id').where('username', '=', 'city_admin').executeTakeFirst();
  const base = {
    org_id: city.id,
    org_path: city.path,
    eligibility: '{}',
    settings: '{}',
    status: 'published' as const,
    published_at: now,
    created_by: admin?.id ?? null,
    created_at: now,
    updated_at: now,
  };
  const rec = await db
    .insertInto('activities')
    .values({
      ...base,
      type: 'recuperation',
      // the year of the story (the programme starts in a month), never a fixed one
      title: `${day(now, 30).slice(0, 4)} 年度一线职工疗休养（第一期）`,
      description:
        '面向全市一线职工、劳动模范的疗休养活动，线路为大丰荷兰花海—东台条子泥，每批 5 天，费用由工会经费承担。第一批为劳模专批，可带配偶或子女（每人至多 2 名）。',
      locations: JSON.stringify(['大丰荷兰花海', '东台条子泥湿地']),
      starts_on: day(now, 30),
      ends_on: day(now, 45),
      cost_per_person: '1800.00',
      union_share_fen: 180_000,
      personal_share_fen: 0,
      budget: '360000.00',
      enrollment_mode: 'fcfs',
      opens_at: new Date(now.getTime() + 5 * 60_000),
      closes_at: new Date(now.getTime() + 7 * 86400_000),
      cancel_deadline: new Date(now.getTime() + 20 * 86400_000),
      contact_name: '市总工会职工服务部',
      contact_phone: '0515-88888888',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_batches')
    .values([
      {
        activity_id: rec.id,
        title: '第一批（劳模专批）',
        location: '大丰荷兰花海',
        starts_on: day(now, 30),
        ends_on: day(now, 34),
        sort_order: 0,
        places_general: 60,
        places_priority: 20,
        places_family: 10,
        family_per_person: 2,
        // the batch's rule, held by the server (not its title)
        eligibility: JSON.stringify({ modelWorkerOnly: true }),
        lottery_places: null,
      },
      {
        activity_id: rec.id,
        title: '第二批',
        location: '东台条子泥湿地',
        starts_on: day(now, 40),
        ends_on: day(now, 44),
        sort_order: 1,
        places_general: 100,
        places_priority: 20,
        places_family: 0,
        lottery_places: null,
      },
    ])
    .execute();
  const training = await db
    .insertInto('activities')
    .values({
      ...base,
      type: 'training',
      title: '新就业形态劳动者权益保护培训',
      description: '讲解劳动合同、工伤保险、职业伤害保障等内容，现场扫码签到。',
      locations: JSON.stringify(['盐城市职工服务中心三楼报告厅']),
      starts_on: day(now, 7),
      ends_on: day(now, 7),
      cost_per_person: '0.00',
      budget: '5000.00',
      enrollment_mode: 'fcfs',
      opens_at: now,
      closes_at: new Date(now.getTime() + 6 * 86400_000),
      cancel_deadline: new Date(now.getTime() + 6 * 86400_000),
      contact_name: '市总工会宣教部',
      contact_phone: '0515-88888889',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('activity_batches')
    .values({
      activity_id: training.id,
      title: '第一场',
      location: '三楼报告厅',
      starts_on: day(now, 7),
      ends_on: day(now, 7),
      sort_order: 0,
      places_general: 200,
      lottery_places: null,
    })
    .execute();
  return '活动：疗休养（两个批次，开始报名前 5 分钟倒计时）、培训一场';
}
