// 维权 of 射阳县: 东台市's staff get 404 for every consultation, case, pool entry, letter and ticket
// route, and never see them in a list; another worker cannot read a worker's online consultation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../support/test-app.js';
import { crossOrgCases } from '../../support/cross-org.js';
import { makeMember } from '../../support/members.js';
import { fakeResidentId } from '../../support/people.js';

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};
const v: Record<string, number> = {};

const letter = (employerName: string) => ({
  kind: 'reminder',
  employerName,
  subject: '依法支付劳动报酬',
  facts: '拖欠工资',
  legalBasis: '《中华人民共和国劳动法》第五十条',
  demands: '足额支付',
  workers: [],
  replyDays: 7,
});

beforeAll(async () => {
  // Risk photos are written to the data folder's file store.
  t = await createTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'gh-rights-xorg-')) } });
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  const sy = await t.login('sheyang_admin');
  as.county = await t.login('county_admin');

  const c = await sy.post('/api/rights/consultations', { channel: 'hotline', topic: 'pay', name: '射阳咨询人', phone: '13900007001', summary: '射阳欠薪咨询' });
  expect(c.statusCode, c.body).toBe(200);
  ids.consultation = c.json().id;
  v.consultation = c.json().version;
  const pool = await sy.post('/api/rights/pool', { name: '射阳调解员', organisation: '射阳县调解中心', kind: 'cadre', available: true });
  ids.pool = pool.json().id;
  const k = await sy.post('/api/rights/cases', {
    parties: [{ name: '射阳当事人', idNumber: fakeResidentId(7002), phone: '13900007002' }],
    disputeType: 'pay',
    employerName: '射阳某公司',
    summary: '射阳欠薪',
    claimAmount: '1000',
    mediatorIds: [ids.pool],
  });
  expect(k.statusCode, k.body).toBe(200);
  ids.case = k.json().id;
  ids.party = k.json().parties[0].id;
  const done = await sy.post(`/api/rights/cases/${ids.case}/close`, {
    version: k.json().version,
    outcome: 'succeeded',
    agreedAmount: '800',
    agreementTerms: '支付800元',
  });
  expect(done.statusCode, done.body).toBe(200);
  const open = await sy.post('/api/rights/cases', {
    parties: [{ name: '射阳当事人二' }],
    disputeType: 'pay',
    employerName: '射阳某厂',
    summary: '欠薪',
    claimAmount: '1',
    mediatorIds: [],
  });
  ids.openCase = open.json().id;
  v.openCase = open.json().version;
  const l = await sy.post('/api/rights/letters', letter('射阳某公司'));
  ids.letter = l.json().id;
  v.letter = l.json().version;
  const tk = await sy.post('/api/rights/tickets', { title: '射阳工单', content: '射阳诉求', requesterName: '射阳诉求人' });
  ids.ticket = tk.json().id;
  v.ticket = tk.json().version;

  // A 射阳 member's online consultation; another worker asks for it.
  const union = await t.db
    .selectFrom('orgs')
    .select('id')
    .where('path', 'like', `%/${ids.sheyang}/%`)
    .where('type', '=', 'grassroots')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const m = await makeMember(t, union.id, 7003);
  ids.sheyangMembership = m.membershipId;
  ids.workerConsultation = (
    await m.worker.post('/api/worker/rights/consultations', { idempotencyKey: 'cross-org-7003', topic: 'pay', question: '射阳职工的问题' })
  ).json().id;
  as.otherWorker = (await makeMember(t, union.id, 7004)).worker;

  // 射阳's 法治体检 (整改中, one rectification), its informant and a risk report with a photo.
  const ck = await sy.post('/api/rights/checkups', { employerName: '射阳体检企业', checkedOn: '2026-11-20', poolIds: [ids.pool] });
  expect(ck.statusCode, ck.body).toBe(200);
  const rec = await sy.post(`/api/rights/checkups/${ck.json().id}/findings`, {
    version: ck.json().version,
    findings: ck.json().findings.map((f: { id: string }) => ({ id: f.id, result: 'ok' })),
    riskLevel: 'low',
    summary: '总体规范',
    rectifications: [{ task: '完善台账', owner: '射阳企业人事', dueOn: '2026-12-20' }],
  });
  expect(rec.statusCode, rec.body).toBe(200);
  ids.checkup = rec.json().id;
  v.checkup = rec.json().version;
  ids.rectification = rec.json().rectifications[0].id;
  const inf = await sy.post('/api/rights/informants', { membershipId: m.membershipId, kind: 'gig' });
  expect(inf.statusCode, inf.body).toBe(200);
  ids.informant = inf.json().id;
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const photo = await m.worker.request({
    method: 'POST',
    url: '/api/worker/rights/risk-photos?name=p.png',
    payload: png,
    headers: { 'content-type': 'image/png' },
  });
  expect(photo.statusCode, photo.body).toBe(200);
  ids.photo = photo.json().id;
  const risk = await m.worker.post('/api/worker/rights/risks', {
    idempotencyKey: 'cross-org-risk-7003',
    kind: 'wage_arrears',
    place: '射阳风险地点',
    peopleAffected: 5,
    description: '射阳欠薪风险',
    photoIds: [ids.photo],
  });
  expect(risk.statusCode, risk.body).toBe(200);
  ids.risk = risk.json().id;
  v.risk = 1;

  // 东台's own records, so its lists are not empty.
  await as.county.post('/api/rights/consultations', { channel: 'window', topic: 'pay', name: '东台咨询人', summary: '东台咨询' });
  await as.county.post('/api/rights/cases', {
    parties: [{ name: '东台当事人' }],
    disputeType: 'pay',
    employerName: '东台某厂',
    summary: '东台',
    claimAmount: '1',
    mediatorIds: [],
  });
  await as.county.post('/api/rights/pool', { name: '东台调解员', organisation: '东台调解中心', kind: 'cadre', available: true });
  await as.county.post('/api/rights/letters', letter('东台某公司'));
  await as.county.post('/api/rights/tickets', { title: '东台工单', content: '东台诉求', requesterName: '东台诉求人' });
  const dtPool = (await as.county.get('/api/rights/pool')).json().items.find((p: { name: string }) => p.name === '东台调解员');
  await as.county.post('/api/rights/checkups', { employerName: '东台体检企业', checkedOn: '2026-11-20', poolIds: [dtPool.id] });
  const dt = await makeMember(
    t,
    (
      await t.db
        .selectFrom('orgs')
        .select('id')
        .where('path', 'like', `%/${ids.dongtai}/%`)
        .where('type', '=', 'grassroots')
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id,
    7005,
  );
  await as.county.post('/api/rights/informants', { membershipId: dt.membershipId, kind: 'station' });
  await dt.worker.post('/api/worker/rights/risks', {
    idempotencyKey: 'cross-org-risk-7005',
    kind: 'stoppage',
    place: '东台地点',
    peopleAffected: 2,
    description: '东台风险',
    photoIds: [],
  });
});
afterAll(async () => t?.close());

const by = (method: string, url: () => string, body?: () => object, who = 'county') => ({
  kind: 'by-id' as const,
  as: who,
  request: () => ({ method, url: url(), ...(body && { body: body() }) }),
});
const list = (url: string) => ({ kind: 'list' as const, as: 'county', url: () => url, mustNotContain: () => '射阳' });

describe('rights: another county’s consultations, cases, letters and tickets', () => {
  crossOrgCases(() => as, {
    'GET /api/rights/dictionaries': { kind: 'no-org-data', why: 'the dictionaries (reference data)' },
    'GET /api/rights/figures': { ...by('GET', () => `/api/rights/figures?orgId=${ids.sheyang}`) },
    'GET /api/rights/consultations': { ...list('/api/rights/consultations') },
    'POST /api/rights/consultations': {
      ...by(
        'POST',
        () => '/api/rights/consultations',
        () => ({ orgId: ids.sheyang, channel: 'window', topic: 'pay', name: '越权', summary: '越权登记' }),
      ),
    },
    'GET /api/rights/consultations/:id': { ...by('GET', () => `/api/rights/consultations/${ids.consultation}`) },
    'POST /api/rights/consultations/:id/answer': {
      ...by(
        'POST',
        () => `/api/rights/consultations/${ids.consultation}/answer`,
        () => ({ version: v.consultation, answer: '越权答复' }),
      ),
    },
    'POST /api/rights/consultations/:id/callback': {
      ...by(
        'POST',
        () => `/api/rights/consultations/${ids.consultation}/callback`,
        () => ({ version: v.consultation, callbackOn: '2026-11-21', satisfaction: 5 }),
      ),
    },
    'POST /api/rights/consultations/:id/case': {
      ...by(
        'POST',
        () => `/api/rights/consultations/${ids.consultation}/case`,
        () => ({ version: v.consultation, disputeType: 'pay', summary: '越权转案', claimAmount: '1', mediatorIds: [] }),
      ),
    },
    'GET /api/rights/cases': { ...list('/api/rights/cases') },
    'POST /api/rights/cases': {
      ...by(
        'POST',
        () => '/api/rights/cases',
        () => ({ orgId: ids.sheyang, parties: [{ name: '越权' }], disputeType: 'pay', employerName: 'x', summary: 'x', claimAmount: '1', mediatorIds: [] }),
      ),
    },
    'POST /api/rights/cases/legal-aid': {
      ...by(
        'POST',
        () => '/api/rights/cases/legal-aid',
        () => ({
          orgId: ids.sheyang,
          parties: [{ name: '越权' }],
          disputeType: 'pay',
          employerName: 'x',
          summary: 'x',
          claimAmount: '1',
          lawyerId: ids.pool,
          stage: 'writing',
        }),
      ),
    },
    'GET /api/rights/cases/:id': { ...by('GET', () => `/api/rights/cases/${ids.case}`) },
    'POST /api/rights/cases/:id/sessions': {
      ...by(
        'POST',
        () => `/api/rights/cases/${ids.openCase}/sessions`,
        () => ({ version: v.openCase, heldOn: '2026-11-21', place: 'x', attendees: 'x', minutes: 'x' }),
      ),
    },
    'POST /api/rights/cases/:id/mediators': {
      ...by(
        'POST',
        () => `/api/rights/cases/${ids.openCase}/mediators`,
        () => ({ version: v.openCase, poolIds: [ids.pool] }),
      ),
    },
    'POST /api/rights/cases/:id/stage': {
      ...by(
        'POST',
        () => `/api/rights/cases/${ids.openCase}/stage`,
        () => ({ version: v.openCase, stage: 'litigation' }),
      ),
    },
    'POST /api/rights/cases/:id/close': {
      ...by(
        'POST',
        () => `/api/rights/cases/${ids.openCase}/close`,
        () => ({ version: v.openCase, outcome: 'withdrawn' }),
      ),
    },
    'GET /api/rights/cases/:id/agreement.docx': { ...by('GET', () => `/api/rights/cases/${ids.case}/agreement.docx`) },
    'POST /api/rights/cases/:id/parties/:partyId/reveal': {
      ...by(
        'POST',
        () => `/api/rights/cases/${ids.case}/parties/${ids.party}/reveal`,
        () => ({ field: 'idNumber', reason: '越权查看' }),
      ),
    },
    'GET /api/rights/pool': { ...list('/api/rights/pool') },
    'POST /api/rights/pool': { kind: 'no-org-data', why: 'adds to the caller’s own union’s pool only' },
    'PATCH /api/rights/pool/:id': {
      ...by(
        'PATCH',
        () => `/api/rights/pool/${ids.pool}`,
        () => ({ available: false }),
      ),
    },
    'GET /api/rights/letters': { ...list('/api/rights/letters') },
    'POST /api/rights/letters': { kind: 'no-org-data', why: 'issued by the caller’s own union only' },
    'GET /api/rights/letters/:id': { ...by('GET', () => `/api/rights/letters/${ids.letter}`) },
    'GET /api/rights/letters/:id/docx': { ...by('GET', () => `/api/rights/letters/${ids.letter}/docx`) },
    'POST /api/rights/letters/:id/reply': {
      ...by(
        'POST',
        () => `/api/rights/letters/${ids.letter}/reply`,
        () => ({ version: v.letter, reply: '越权', repliedOn: '2026-11-21', rectified: true }),
      ),
    },
    'POST /api/rights/letters/:id/escalate': {
      ...by(
        'POST',
        () => `/api/rights/letters/${ids.letter}/escalate`,
        () => ({ version: v.letter, addressee: '劳动保障监察机构', demands: '越权', replyDays: 10 }),
      ),
    },
    'POST /api/rights/letters/:id/answer': {
      ...by(
        'POST',
        () => `/api/rights/letters/${ids.letter}/answer`,
        () => ({ version: v.letter, answer: '越权', answeredOn: '2026-11-21' }),
      ),
    },
    'GET /api/rights/tickets': { ...list('/api/rights/tickets') },
    'POST /api/rights/tickets': { kind: 'no-org-data', why: 'taken by the caller’s own union only' },
    'GET /api/rights/tickets/:id': { ...by('GET', () => `/api/rights/tickets/${ids.ticket}`) },
    'POST /api/rights/tickets/:id/dispatch': {
      ...by(
        'POST',
        () => `/api/rights/tickets/${ids.ticket}/dispatch`,
        () => ({ version: v.ticket, orgId: ids.dongtai, days: 3 }),
      ),
    },
    'POST /api/rights/tickets/:id/answer': {
      ...by(
        'POST',
        () => `/api/rights/tickets/${ids.ticket}/answer`,
        () => ({ version: v.ticket, answer: '越权' }),
      ),
    },
    'POST /api/rights/tickets/:id/callback': {
      ...by(
        'POST',
        () => `/api/rights/tickets/${ids.ticket}/callback`,
        () => ({ version: v.ticket, satisfaction: 5 }),
      ),
    },
    'POST /api/rights/tickets/:id/close': {
      ...by(
        'POST',
        () => `/api/rights/tickets/${ids.ticket}/close`,
        () => ({ version: v.ticket }),
      ),
    },
    // ---------- 法治体检 ----------
    'GET /api/rights/checkup-items': { kind: 'no-org-data', why: 'the city-wide checklist template (reference data)' },
    'POST /api/rights/checkup-items': { kind: 'no-org-data', why: 'the city-wide template; only the city’s staff may edit it (403 otherwise)' },
    'PATCH /api/rights/checkup-items/:id': { kind: 'no-org-data', why: 'the city-wide template; only the city’s staff may edit it (403 otherwise)' },
    'GET /api/rights/checkups': { ...list('/api/rights/checkups') },
    'POST /api/rights/checkups': {
      ...by(
        'POST',
        () => '/api/rights/checkups',
        () => ({ orgId: ids.sheyang, employerName: '越权', checkedOn: '2026-11-21', poolIds: [ids.pool] }),
      ),
    },
    'GET /api/rights/checkups/:id': { ...by('GET', () => `/api/rights/checkups/${ids.checkup}`) },
    'POST /api/rights/checkups/:id/findings': {
      ...by(
        'POST',
        () => `/api/rights/checkups/${ids.checkup}/findings`,
        () => ({ version: v.checkup, findings: [{ id: '1', result: 'ok' }], riskLevel: 'low', summary: '越权' }),
      ),
    },
    'POST /api/rights/checkups/:id/rectifications/:rectificationId/done': {
      ...by(
        'POST',
        () => `/api/rights/checkups/${ids.checkup}/rectifications/${ids.rectification}/done`,
        () => ({ version: v.checkup, doneOn: '2026-11-21', note: '越权' }),
      ),
    },
    'POST /api/rights/checkups/:id/follow-up': {
      ...by(
        'POST',
        () => `/api/rights/checkups/${ids.checkup}/follow-up`,
        () => ({ version: v.checkup, comment: '越权' }),
      ),
    },
    'POST /api/rights/checkups/:id/close': {
      ...by(
        'POST',
        () => `/api/rights/checkups/${ids.checkup}/close`,
        () => ({ version: v.checkup, note: '越权' }),
      ),
    },
    'GET /api/rights/checkups/:id/report.docx': { ...by('GET', () => `/api/rights/checkups/${ids.checkup}/report.docx`) },
    // ---------- 信息员 and risk reports ----------
    'GET /api/rights/informants': { ...list('/api/rights/informants') },
    'POST /api/rights/informants': {
      ...by(
        'POST',
        () => '/api/rights/informants',
        () => ({ membershipId: ids.sheyangMembership, kind: 'gig' }),
      ),
    },
    'PATCH /api/rights/informants/:id': {
      ...by(
        'PATCH',
        () => `/api/rights/informants/${ids.informant}`,
        () => ({ version: 1, active: false }),
      ),
    },
    'GET /api/rights/risks': { ...list('/api/rights/risks') },
    'GET /api/rights/risks/:id': { ...by('GET', () => `/api/rights/risks/${ids.risk}`) },
    'GET /api/rights/risks/:id/photos/:photoId': { ...by('GET', () => `/api/rights/risks/${ids.risk}/photos/${ids.photo}`) },
    'POST /api/rights/risks/:id/grade': {
      ...by(
        'POST',
        () => `/api/rights/risks/${ids.risk}/grade`,
        () => ({ version: v.risk, grade: 'severe' }),
      ),
    },
    'POST /api/rights/risks/:id/ticket': {
      ...by(
        'POST',
        () => `/api/rights/risks/${ids.risk}/ticket`,
        () => ({ version: v.risk }),
      ),
    },
    'POST /api/rights/risks/:id/close': {
      ...by(
        'POST',
        () => `/api/rights/risks/${ids.risk}/close`,
        () => ({ version: v.risk, note: '越权' }),
      ),
    },
    'GET /api/worker/rights/risks': { kind: 'no-org-data', why: 'only the informant’s own registration and reports' },
    'POST /api/worker/rights/risks': { kind: 'no-org-data', why: 'reports as the worker to their own informant union (403 for a worker who is none)' },
    'POST /api/worker/rights/risk-photos': { kind: 'no-org-data', why: 'the informant’s own upload, taken only by their own report' },
    'GET /api/worker/rights/consultations': { kind: 'no-org-data', why: 'only the worker’s own consultations' },
    'POST /api/worker/rights/consultations': { kind: 'no-org-data', why: 'asks as the worker; goes to their own union' },
    'GET /api/worker/rights/consultations/:id': { ...by('GET', () => `/api/worker/rights/consultations/${ids.workerConsultation}`, undefined, 'otherWorker') },
    'POST /api/worker/rights/consultations/:id/messages': {
      ...by(
        'POST',
        () => `/api/worker/rights/consultations/${ids.workerConsultation}/messages`,
        () => ({ body: '越权追问' }),
        'otherWorker',
      ),
    },
  });
});
