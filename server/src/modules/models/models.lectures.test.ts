// 宣讲员 and lectures: a 劳模名师 from the register tagged on a 宣讲 activity; the lecture counts in the
// county's `models.lectures` indicator once somebody checked in, so a target "劳模宣讲 ≥ n" moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgIdByName } from '../../../../tests/support/test-app.js';
import { TypesEnv, enroll, type Member } from '../activities/activity-types.test-helpers.js';

let env: TypesEnv;
let member: Member;
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await TypesEnv.create();
  ids.dongtai = await orgIdByName(env.t, '东台市总工会');
  member = await env.member(16501, '宣讲听众');
  ids.person = (
    await env.county.post('/api/models/people', { orgId: ids.dongtai, name: '宣讲劳模', honours: [{ kind: 'city_model', year: 2020, awardingBody: '盐城市人民政府' }] })
  ).json().id;
});
afterAll(async () => env?.t.close());

describe('宣讲员 and lectures', () => {
  it('a lecturer from the register tagged on a 宣讲 activity counts once somebody checked in', async () => {
    const county = env.county;
    const year = env.t.clock.now().toISOString().slice(0, 4);
    const count = async () => (await county.get(`/api/stats/indicators/models.lectures?from=${year}-01-01`)).json().totals['models.lectures'] ?? 0;
    const before = await count();
    // the city sets "劳模宣讲 ≥ 10" for 东台 in the targets module; its progress is this indicator
    const target = await env.city.post('/api/targets', { year: Number(year), indicatorCode: 'models.lectures', comparison: 'gte', items: [{ orgId: ids.dongtai, value: 10 }] });
    expect(target.statusCode, target.body).toBe(200);
    const progress = async () =>
      ((await env.city.get(`/api/targets?year=${year}`)).json().assigned as { org: { id: string }; indicator: { code: string }; actual: number }[]).find(
        (a) => a.org.id === ids.dongtai && a.indicator.code === 'models.lectures',
      )!.actual;
    const progressBefore = await progress();
    const l = await county.post('/api/models/lecturers', { orgId: ids.dongtai, kind: 'model_teacher', name: '任意', modelPersonId: ids.person, topic: '劳模精神进校园' });
    expect(l.statusCode, l.body).toBe(200);
    ids.lecturer = l.json().id;
    const dup = await county.post('/api/models/lecturers', { orgId: ids.dongtai, kind: 'model_teacher', name: '宣讲劳模' });
    expect(dup.statusCode).toBe(400);
    const listed = (await county.get('/api/models/lecturers')).json();
    expect(listed.items.find((x: { id: string }) => x.id === ids.lecturer)).toMatchObject({ name: '宣讲劳模', kindLabel: '劳模名师', onRegister: true });

    const act = await env.activity(county, { title: '劳模精神进校园宣讲', type: 'lecture', startsOn: env.t.clock.now().toISOString().slice(0, 10) });
    const social = await env.activity(county, { title: '青年联谊', type: 'social' });
    const wrong = await county.post('/api/models/lectures', { activityId: social.id, lecturerId: ids.lecturer, venueKind: 'school', venueName: '东台中学' });
    expect(wrong.statusCode).toBe(400);
    const tagged = await county.post('/api/models/lectures', { activityId: act.id, lecturerId: ids.lecturer, venueKind: 'school', venueName: '东台中学' });
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect((await county.post('/api/models/lectures', { activityId: act.id, lecturerId: ids.lecturer, venueKind: 'school', venueName: '东台中学' })).statusCode).toBe(400);
    expect(await count()).toBe(before); // nobody checked in yet

    const e = await enroll(member, act.id);
    expect(e.statusCode, e.body).toBe(200);
    const list = (await county.get(`/api/activities/${act.id}/enrollments`)).json();
    const att = await county.post(`/api/activity-enrollments/${list.items[0].id}/attendance`, { result: 'attended' });
    expect(att.statusCode, att.body).toBe(200);
    expect(await count()).toBe(before + 1);
    expect(await progress()).toBe(progressBefore + 1);
    const lectures = (await county.get('/api/models/lectures')).json();
    expect(lectures.items.find((x: { activity: { id: string } }) => x.activity.id === act.id)).toMatchObject({ venueLabel: '进学校', attended: 1, counts: true });
  });

  it('anonymous → 401', async () => {
    expect((await env.t.anonymous.get('/api/models/lecturers')).statusCode).toBe(401);
    expect((await env.t.anonymous.get('/api/models/lectures')).statusCode).toBe(401);
  });
});
