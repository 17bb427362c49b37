// Guard: every copy of a union's path outside `orgs` either follows a move (COPIED_PATHS, which the
// move itself rewrites) or is history kept on purpose (PATH_HISTORY) — both in orgs.copied-paths.ts,
// the list the move reads. The columns come from the live schema, so a new table with a path column
// fails here until someone puts it in one list or the other — and a rewritten column must have a row
// in the moved subtree below, so the check is never vacuous. After the move no copied path and no other
// text column (a copy under another name) may still start with the town's old path. Its own app: the
// move reshapes the tree.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { COPIED_PATHS, PATH_HISTORY } from '../../server/src/modules/orgs/orgs.copied-paths.js';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../support/test-app.js';
import { makeMember } from '../support/members.js';

/** Columns the move rewrites, as `table.column`. */
const REWRITTEN: string[] = COPIED_PATHS.map((c) => `${c.table}.${c.column}`);
/** Columns deliberately left as they were. */
const KEPT: Record<string, string> = PATH_HISTORY;

let t: TestApp;
let city: Client;

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
});
afterAll(async () => t?.close());

const pathColumns = async () =>
  (
    await sql<{ c: string }>`
      select table_name || '.' || column_name as c from information_schema.columns
      where table_schema = current_schema() and column_name like '%path' and table_name <> 'orgs' order by 1`.execute(t.db)
  ).rows.map((r) => r.c);

const countLike = async (column: string, prefix: string) => {
  const [table, name] = column.split('.');
  const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table!)} where ${sql.ref(name!)} like ${`${prefix}%`}`.execute(t.db);
  return Number(r.rows[0]!.n);
};

it('every path column outside orgs is either rewritten on a move or kept as history, with a reason', async () => {
  const live = await pathColumns();
  const undecided = live.filter((c) => !REWRITTEN.includes(c) && !(c in KEPT));
  const decide = 'a new path column: put it in COPIED_PATHS (the move rewrites it) or in PATH_HISTORY with why (orgs.copied-paths.ts)';
  expect(undecided, decide).toEqual([]);
  const gone = [...REWRITTEN, ...Object.keys(KEPT)].filter((c) => !live.includes(c));
  expect(gone, 'listed columns the schema no longer has').toEqual([]);
  expect(REWRITTEN.filter((c) => c in KEPT)).toEqual([]);
  expect(new Set(REWRITTEN).size, 'a column listed twice').toBe(REWRITTEN.length);
});

it('a town moved from 东台 to 射阳: no copied path in its subtree keeps the old prefix', async () => {
  const staffOrg = async (username: string) =>
    (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', username).executeTakeFirstOrThrow()).org_id;
  const townId = await staffOrg('town_admin');
  const enterprise = await staffOrg('grassroots_admin');
  const orgPath = async (id: string) => (await t.db.selectFrom('orgs').select('path').where('id', '=', id).executeTakeFirstOrThrow()).path;
  const oldPath = await orgPath(townId);
  const enterprisePath = await orgPath(enterprise);
  const town = await t.login('town_admin');

  // memberships, join_applications
  const m = await makeMember(t, enterprise, 7321);
  // activities, activity_enrollments
  const created = await town.post('/api/activities', {
    type: 'other',
    title: '镇街职工健步走',
    enrollmentMode: 'fcfs',
    batches: [{ title: '一批', placesGeneral: 5 }],
  });
  expect(created.statusCode, created.body).toBe(200);
  const published = await town.post(`/api/activities/${created.json().id}/publish`, { version: created.json().version });
  expect(published.statusCode, published.body).toBe(200);
  const a = published.json();
  const enrolled = await m.worker.post(`/api/worker/activities/${a.id}/enroll`, { batchId: a.batches[0].id, details: {} });
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  // notices, notice_recipients, news_items (org_path and target_path)
  const notice = await town.post('/api/notices', {
    title: '关于报送本镇职工之家建设情况的通知',
    body: '请各工会按时报送。',
    audience: { roots: [{ orgId: townId, types: ['grassroots'] }] },
  });
  expect(notice.statusCode, notice.body).toBe(200);
  const news = await town.post('/api/news', {
    kind: 'article',
    title: '本镇开展职工健步走',
    bodyHtml: '<p>欢迎报名。</p>',
    targetOrgId: townId,
    publishAt: t.clock.now().toISOString(),
  });
  expect(news.statusCode, news.body).toBe(200);
  // service_types, applications, lottery_draws: minimal rows (their flows need a configured catalogue).
  const st = await sql<{ id: string }>`
    insert into service_types (code, name, category, applicant_scope, definition, org_id, org_path)
    select 'move-guard', '搬迁校验事项', category, applicant_scope, definition, ${townId}, ${oldPath} from service_types limit 1
    returning id::text as id`.execute(t.db);
  const typeId = st.rows[0]!.id;
  await sql`
    insert into applications (service_type_id, snapshot, applicant_name, applicant_phone_masked, applicant_phone_bidx, org_id, org_path,
                              handling_org_path, status, plan, form_values, idempotency_key, submitted_at)
    values (${typeId}, '{}'::jsonb, '张三', '138****0000', 'move-guard', ${enterprise}, ${enterprisePath}, ${oldPath}, 'in_review',
            '[]'::jsonb, '{}'::jsonb, 'move-guard', now())`.execute(t.db);
  await sql`
    insert into lottery_draws (service_type_id, step_key, org_id, org_path, seed, places, candidate_ids, winner_ids, drawn_by_name, drawn_at)
    values (${typeId}, 'draw', ${townId}, ${oldPath}, 'seed', 1, '[]'::jsonb, '[]'::jsonb, '张三', now())`.execute(t.db);

  const before: Record<string, number> = {};
  for (const c of REWRITTEN) before[c] = await countLike(c, oldPath);
  const unseeded = Object.entries(before).filter(([, n]) => n === 0).map(([c]) => c);
  expect(unseeded, 'seed a row of each rewritten column in the town’s subtree above').toEqual([]);

  const node = (await city.get(`/api/orgs/${townId}`)).json();
  const moved = await city.post(`/api/orgs/${townId}/move`, { newParentId: await orgIdByName(t, '射阳县总工会'), version: node.version });
  expect(moved.statusCode, moved.body).toBe(200);
  const newPath = await orgPath(townId);
  expect(newPath).not.toBe(oldPath);

  const stale: string[] = [];
  for (const c of REWRITTEN) {
    if ((await countLike(c, oldPath)) > 0) stale.push(c);
    expect(await countLike(c, newPath), c).toBe(before[c]);
  }
  expect(stale, 'copied paths still under the old prefix after the move').toEqual([]);

  // A copy under another name: any text column (outside orgs and the kept history) starting with the old path.
  const textColumns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.data_type in ('text', 'character varying') and c.table_name <> 'orgs'
    order by 1, 2`.execute(t.db);
  const elsewhere: string[] = [];
  for (const { table_name, column_name } of textColumns.rows) {
    const c = `${table_name}.${column_name}`;
    if (c in KEPT) continue;
    if ((await countLike(c, oldPath)) > 0) elsewhere.push(c);
  }
  expect(elsewhere, 'text columns still holding the old path').toEqual([]);
});
