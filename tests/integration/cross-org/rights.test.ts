// 维权 of 射阳县: 东台市's staff get 404 for every consultation, case, pool entry, letter and ticket
// route, and never see them in a list; another worker cannot read a worker's online consultation.
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
  t = await createTestApp();
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
  ids.workerConsultation = (await m.worker.post('/api/worker/rights/consultations', { topic: 'pay', question: '射阳职工的问题' })).json().id;
  as.otherWorker = (await makeMember(t, union.id, 7004)).worker;

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
