// The cockpit's live feed: a join shows as "东台市总工会 · <town> 新会员 1 人 · HH:MM" to the city, as
// "<town> · <union>" to 东台; never a name or a phone; never another county's events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember, type TestMember } from '../../../../tests/support/members.js';

let t: TestApp;
let city: Client;
let county: Client;
let member: TestMember;
let townName = '';

type Feed = { items: { kind: string; text: string; place: string; count: number; time: string; at: string }[] };

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city_admin');
  county = await t.login('county_admin');
  const grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  townName = (
    await t.db
      .selectFrom('staff_accounts as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select('o.name')
      .where('a.username', '=', 'town_admin')
      .executeTakeFirstOrThrow()
  ).name;
  member = await makeMember(t, grassroots, 9301);
  const sheyang = await orgIdByName(t, '射阳县总工会');
  const sheyangUnion = (
    await t.db
      .selectFrom('orgs')
      .select('id')
      .where('parent_id', 'in', t.db.selectFrom('orgs').select('id').where('parent_id', '=', sheyang))
      .where('type', '=', 'grassroots')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id;
  await makeMember(t, sheyangUnion, 9302);
});
afterAll(async () => t?.close());

describe('cockpit feed', () => {
  it('the city sees the join in 东台 by county and town, with the time, and no personal data', async () => {
    const r = await city.get('/api/cockpit/feed');
    expect(r.statusCode, r.body).toBe(200);
    const feed = r.json() as Feed;
    const join = feed.items.find((i) => i.kind === 'join' && i.place === `东台市总工会 · ${townName}`);
    expect(join, r.body).toBeTruthy();
    expect(join!.text).toBe(`新会员 ${join!.count} 人`);
    expect(join!.time).toMatch(/^\d{2}:\d{2}$/);
    expect(feed.items.some((i) => i.place.startsWith('射阳县总工会'))).toBe(true);
    expect(r.body).not.toContain(member.person.name);
    expect(r.body).not.toContain(member.person.phone);
    expect(r.body).not.toContain(member.person.idNumber);
  });

  it('东台 sees its own events one level down, and nothing of 射阳', async () => {
    const r = await county.get('/api/cockpit/feed?limit=10');
    const feed = r.json() as Feed;
    expect(feed.items.find((i) => i.kind === 'join')!.place.startsWith(townName)).toBe(true);
    expect(r.body).not.toContain('射阳');
  });

  it('refuses a limit over 50 (400) and an anonymous caller (401)', async () => {
    const r = await city.get('/api/cockpit/feed?limit=100');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.fields.limit).toContain('50');
    expect((await t.anonymous.get('/api/cockpit/feed')).statusCode).toBe(401);
  });
});
