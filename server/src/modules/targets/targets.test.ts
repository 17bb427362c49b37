// Targets and 工作质效评价 against the records: the city sets 新增会员 targets for the counties, the
// progress is the indicator (a member joining in 东台市 moves 东台's progress and nobody else's), 东台
// cascades its target to its towns, a scheme scores and ranks the counties, a manual item is claimed
// with evidence and confirmed by the city, the ranking exports as .xlsx; every write is audited.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { makeMember } from '../../../../tests/support/members.js';
import type { StatsService } from '../stats/stats.service.js';

let t: TestApp;
let city: Client;
let county: Client; // 东台市
let sheyang: Client;
let town: Client; // the first town of 东台市
let leader: Client;
const ids = {} as Record<'city' | 'dongtai' | 'sheyang' | 'grassroots' | 'town' | 'town2', string>;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

type Target = {
  id: string;
  org: { id: string; name: string };
  value: number;
  actual: number | null;
  completion: number | null;
  met: boolean;
  version: number;
  parentId: string | null;
};
type Listing = { own: (Target & { cascade: { count: number; sum: number } })[]; assigned: Target[]; canSet: boolean; children: { id: string }[] };

const joinedIn = async (c: Client, orgId: string) => {
  const r = (await c.get(`/api/stats/indicators/members.joined?orgId=${orgId}&from=2026-01-01&to=2026-11-21`)).json();
  return r.totals['members.joined'] as number;
};

beforeAll(async () => {
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-targets-')) } });
  [city, county, sheyang, town, leader] = (await Promise.all(
    ['city_admin', 'county_admin', 'sheyang_admin', 'town_admin', 'leader'].map((u) => t.login(u)),
  )) as [Client, Client, Client, Client, Client];
  ids.city = await orgIdByName(t, '盐城市总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.grassroots = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow()).org_id;
  ids.town = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'town_admin').executeTakeFirstOrThrow()).org_id;
  const towns = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.dongtai).where('type', '=', 'town').orderBy('id').limit(2).execute();
  ids.town2 = towns.find((x) => x.id !== ids.town)!.id;
  await makeMember(t, ids.grassroots, 9101);
  await (t.services.features as unknown as { stats: { service: StatsService } }).stats.service.takeSnapshot();
});
afterAll(async () => t?.close());

describe('targets down the tree, progress from the indicator', () => {
  it('the city sets 新增会员 for two counties; each shows the county’s figure for the year as progress', async () => {
    const r = await city.post('/api/targets', {
      year: 2026,
      indicatorCode: 'members.joined',
      comparison: 'gte',
      items: [
        { orgId: ids.dongtai, value: 200 },
        { orgId: ids.sheyang, value: 150 },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().ids).toHaveLength(2);
    const list = (await city.get('/api/targets?year=2026')).json() as Listing;
    expect(list.canSet).toBe(true);
    const dt = list.assigned.find((a) => a.org.id === ids.dongtai)!;
    const figure = await joinedIn(city, ids.dongtai);
    expect(figure).toBeGreaterThan(0);
    expect(dt.actual).toBe(figure);
    expect(dt.value).toBe(200);
    expect(dt.completion).toBe(Math.round((figure / 200) * 1000) / 10);
    expect(list.assigned.find((a) => a.org.id === ids.sheyang)!.actual).toBe(await joinedIn(city, ids.sheyang));
  });

  it('a member joining in 东台市 moves 东台’s progress by one, and 射阳’s not at all', async () => {
    const before = (await city.get('/api/targets?year=2026')).json() as Listing;
    await makeMember(t, ids.grassroots, 9102);
    const after = (await city.get('/api/targets?year=2026')).json() as Listing;
    const of = (l: Listing, org: string) => l.assigned.find((a) => a.org.id === org)!.actual!;
    expect(of(after, ids.dongtai)).toBe(of(before, ids.dongtai) + 1);
    expect(of(after, ids.sheyang)).toBe(of(before, ids.sheyang));
  });

  it('东台 sees the target set for it (read only) and cascades it to two towns; the cascade adds up under its own target', async () => {
    const mine = (await county.get('/api/targets?year=2026')).json() as Listing;
    const own = mine.own.find((o) => o.org.id === ids.dongtai)!;
    expect(own.actual).toBe(await joinedIn(county, ids.dongtai));
    const refused = await county.patch(`/api/targets/${own.id}`, { value: 1, version: own.version });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('盐城市总工会');
    const cascade = await county.post('/api/targets', {
      year: 2026,
      indicatorCode: 'members.joined',
      comparison: 'lte', // taken from the cascaded target, not from here
      parentTargetId: own.id,
      items: [
        { orgId: ids.town, value: 120 },
        { orgId: ids.town2, value: 80 },
      ],
    });
    expect(cascade.statusCode, cascade.body).toBe(200);
    const after = (await county.get('/api/targets?year=2026')).json() as Listing;
    const o = after.own.find((x) => x.id === own.id)!;
    expect(o.cascade).toEqual({ count: 2, sum: 200 });
    const townTarget = after.assigned.find((a) => a.org.id === ids.town)!;
    expect(townTarget.parentId).toBe(own.id);
    expect((townTarget as unknown as { comparison: string }).comparison).toBe('gte');
    expect(townTarget.actual).toBe(await joinedIn(county, ids.town));
    // the town sees its own target, set by 东台
    const ofTown = (await town.get('/api/targets?year=2026')).json() as Listing;
    expect(ofTown.own.map((x) => x.id)).toEqual([townTarget.id]);
    // the city may not cascade 东台's target for it (the target is not the city's own)
    const cityCascade = await city.post('/api/targets', {
      year: 2026,
      indicatorCode: 'members.joined',
      comparison: 'gte',
      parentTargetId: own.id,
      items: [{ orgId: ids.dongtai, value: 1 }],
    });
    expect(cityCascade.statusCode).toBe(404);
  });

  it('refuses bad targets in Chinese naming the field', async () => {
    const bad = async (body: Record<string, unknown>, field: string, text: string) => {
      const r = await city.post('/api/targets', {
        year: 2026,
        indicatorCode: 'members.joined',
        comparison: 'gte',
        items: [{ orgId: ids.dongtai, value: 10 }],
        ...body,
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.fields[field]).toContain(text);
    };
    await bad({ indicatorCode: 'members.nothing' }, 'indicatorCode', '指标不存在');
    await bad({ indicatorCode: 'members.gig_share', items: [{ orgId: ids.dongtai, value: 120 }] }, 'items', '不能超过 100');
    await bad({ items: [{ orgId: ids.dongtai, value: 1.5 }] }, 'items', '整数');
    await bad({ year: 2030 }, 'year', '年度');
    await bad(
      {
        items: [
          { orgId: ids.dongtai, value: 1 },
          { orgId: ids.dongtai, value: 2 },
        ],
      },
      'items',
      '同一组织',
    );
    await bad({ comparison: 'eq' }, 'comparison', '不低于');
    // a town is not a direct child of the city
    expect(
      (await city.post('/api/targets', { year: 2026, indicatorCode: 'members.joined', comparison: 'gte', items: [{ orgId: ids.town, value: 1 }] })).statusCode,
    ).toBe(404);
  });

  it('edits are version-checked; a cascaded target is deleted only after its cascade; the leader reads only', async () => {
    const list = (await city.get('/api/targets?year=2026')).json() as Listing;
    const sy = list.assigned.find((a) => a.org.id === ids.sheyang)!;
    const edited = await city.patch(`/api/targets/${sy.id}`, { value: 180, version: sy.version });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await city.patch(`/api/targets/${sy.id}`, { value: 190, version: sy.version })).statusCode).toBe(409);
    const dt = list.assigned.find((a) => a.org.id === ids.dongtai)!;
    const blocked = await city.delete(`/api/targets/${dt.id}?version=${dt.version}`);
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.message).toContain('已分解');
    expect((await leader.get('/api/targets?year=2026')).statusCode).toBe(200);
    expect(
      (await leader.post('/api/targets', { year: 2026, indicatorCode: 'members.joined', comparison: 'gte', items: [{ orgId: ids.dongtai, value: 1 }] }))
        .statusCode,
    ).toBe(403);
  });
});

describe('工作质效评价', () => {
  const items = [
    { kind: 'indicator', name: '新增会员', indicatorCode: 'members.joined', rule: 'linear', weight: 40 },
    { kind: 'indicator', name: '建会率', indicatorCode: 'enterprises.founding_rate', rule: 'threshold', weight: 30 },
    { kind: 'manual', name: '工作创新', weight: 30, description: '创新做法被上级推广的，每项 10 分' },
  ];

  it('the weights must add up to 100; the city’s scheme scores and ranks the ten counties', async () => {
    const off = await city.request({
      method: 'PUT',
      url: '/api/targets/scheme',
      payload: { year: 2026, name: '2026 年度县级工会工作质效评价', items: [{ ...items[0], weight: 39 }, items[1], items[2]] },
    });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.fields.items).toContain('合计应为 100 分（当前 99 分）');
    const saved = await city.request({ method: 'PUT', url: '/api/targets/scheme', payload: { year: 2026, name: '2026 年度县级工会工作质效评价', items } });
    expect(saved.statusCode, saved.body).toBe(200);
    const v = (await city.get('/api/targets/scheme?year=2026')).json();
    const counties = await t.db.selectFrom('orgs').select('id').where('parent_id', '=', ids.city).where('type', '=', 'county').execute();
    expect(v.ranking).toHaveLength(counties.length);
    expect(v.scheme.items.map((i: { name: string }) => i.name)).toEqual(['新增会员', '建会率', '工作创新']);
    const dt = v.ranking.find((r: { org: { id: string } }) => r.org.id === ids.dongtai);
    const joined = await joinedIn(city, ids.dongtai);
    expect(dt.items[0].score).toBe(Math.round(40 * Math.min(joined / 200, 1) * 100) / 100);
    expect(dt.items[1].status).toBe('no_target'); // the city set no 建会率 target for 东台
    expect(dt.items[2].status).toBe('missing');
    expect(dt.total).toBe(dt.items[0].score);
    // counties without a target score 0 and share the last place
    const zero = v.ranking.filter((r: { total: number }) => r.total === 0);
    expect(new Set(zero.map((r: { rank: number }) => r.rank)).size).toBe(1);
    // the second save must carry the version
    expect((await city.request({ method: 'PUT', url: '/api/targets/scheme', payload: { year: 2026, name: '改名', items } })).statusCode).toBe(409);
  });

  it('东台 claims the manual item with evidence (text and a file); the city confirms an adjusted score; the total moves', async () => {
    const mine = (await county.get('/api/targets/assessment?year=2026')).json();
    expect(mine.scheme.by).toBe('盐城市总工会');
    const manual = mine.scheme.items.find((i: { kind: string }) => i.kind === 'manual');
    const tooMuch = await county.post('/api/targets/manual-scores', { itemId: manual.id, score: 31, evidence: '推广经验 3 项' });
    expect(tooMuch.json().error.fields.score).toContain('30');
    const claimed = await county.post('/api/targets/manual-scores', { itemId: manual.id, score: 30, evidence: '“司机之家”做法被省总推广，另有两项经验交流' });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const claimId = claimed.json().id;
    const up = await county.request({
      method: 'POST',
      url: `/api/targets/manual-scores/${claimId}/evidence?name=推广文件.png`,
      payload: PNG,
      headers: { 'content-type': 'image/png' },
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().fileName).toBe('推广文件.png');
    const notImage = await county.request({
      method: 'POST',
      url: `/api/targets/manual-scores/${claimId}/evidence`,
      payload: Buffer.from('hello'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(notImage.statusCode).toBe(400);
    const file = await city.get(`/api/targets/manual-scores/${claimId}/evidence`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    // 东台 may not review (the scheme is the city's); the city may
    const version = (await county.get('/api/targets/assessment?year=2026')).json().score.items[2].claim.version;
    expect((await county.post(`/api/targets/manual-scores/${claimId}/review`, { action: 'confirm', version })).statusCode).toBe(403);
    const before = (await city.get('/api/targets/scheme?year=2026')).json().ranking.find((r: { org: { id: string } }) => r.org.id === ids.dongtai);
    const ok = await city.post(`/api/targets/manual-scores/${claimId}/review`, { action: 'confirm', score: 20, note: '两项经验交流不计分', version });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = (await city.get('/api/targets/scheme?year=2026')).json().ranking.find((r: { org: { id: string } }) => r.org.id === ids.dongtai);
    expect(after.total).toBe(Math.round((before.total + 20) * 100) / 100);
    expect(after.rank).toBe(1);
    expect((await county.post('/api/targets/manual-scores', { itemId: manual.id, score: 30, evidence: '再次提交试试' })).statusCode).toBe(409);
    const seen = (await county.get('/api/targets/assessment?year=2026')).json();
    expect(seen.score.total).toBe(after.total);
    expect(seen.score.items[2].claim.statusLabel).toBe('已确认');
  });

  it('a return needs a reason; the county answers with a new claim', async () => {
    const manual = (await sheyang.get('/api/targets/assessment?year=2026')).json().scheme.items.find((i: { kind: string }) => i.kind === 'manual');
    const c = await sheyang.post('/api/targets/manual-scores', { itemId: manual.id, score: 25, evidence: '开展新就业形态入会集中行动' });
    expect(c.statusCode, c.body).toBe(200);
    expect(
      (await city.post(`/api/targets/manual-scores/${c.json().id}/review`, { action: 'return', version: c.json().version })).json().error.fields.note,
    ).toContain('审核意见');
    const back = await city.post(`/api/targets/manual-scores/${c.json().id}/review`, { action: 'return', note: '请附推广文件', version: c.json().version });
    expect(back.statusCode, back.body).toBe(200);
    const again = await sheyang.post('/api/targets/manual-scores', { itemId: manual.id, score: 25, evidence: '开展新就业形态入会集中行动（附件补充）' });
    expect(again.statusCode, again.body).toBe(200);
    expect((await sheyang.get('/api/targets/assessment?year=2026')).json().score.items[2].claim.status).toBe('submitted');
  });

  it('exports the ranking as .xlsx (one row per county, the items as columns)', async () => {
    const r = await city.get('/api/targets/scheme/export.xlsx?year=2026');
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).values).toEqual([undefined, '排名', '组织', '新增会员（40分）', '建会率（30分）', '工作创新（30分）', '总分']);
    expect(ws.getRow(4).getCell(2).value).toBe('东台市总工会');
    expect(ws.rowCount).toBe(3 + Number(r.headers['x-row-count']));
  });

  it('every write is in the audit trail with its label', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['action']).where('action', 'like', 'target.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'target.set',
      'target.update',
      'target.scheme.save',
      'target.scheme.export',
      'target.manual.submit',
      'target.manual.evidence',
      'target.manual.confirm',
      'target.manual.return',
    ])
      expect(actions, a).toContain(a);
    const list = (await t.login('auditor')).get('/api/audit?pageSize=50');
    const body = (await list).body;
    expect(body).toContain('确认考核自评得分');
  });

  it('an anonymous caller gets 401', async () => {
    for (const url of ['/api/targets', '/api/targets/scheme', '/api/targets/assessment']) expect((await t.anonymous.get(url)).statusCode).toBe(401);
  });
});
