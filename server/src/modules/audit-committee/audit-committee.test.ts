// 经费审查 through the HTTP pipeline: the 东台 经审委员会 audits a grassroots union's funds; a finding gets
// its rectification task (the four-linked list); the manual clock takes it past its deadline — it shows
// as overdue and a 约谈 is recorded (refused before); the audited union submits its evidence; a fund
// officer of the audited union cannot sign off its own finding; the committee does, the rate moves and
// the project closes; the report is a .docx; 射阳 gets 404, the anonymous 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { docxText } from '../../../../tests/support/docx-text.js';

let t: TestApp;
let jingshen: Client;
let grassroots: Client;
let county: Client;
let sheyang: Client;
const ids: Record<string, string> = {};
const DAY = 86_400_000;
const day = (offset = 0) => new Date(t.clock.now().getTime() + 8 * 3600_000 + offset * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  jingshen = await t.login('jingshen');
  grassroots = await t.login('grassroots_admin');
  county = await t.login('county_admin');
  sheyang = await t.login('sheyang_admin');
  ids.grassroots = (await grassroots.get('/api/auth/me')).json().account.org.id;
  ids.dongtai = await orgIdByName(t, '东台市总工会');
});
afterAll(async () => t?.close());

describe('经费审查', () => {
  it('立项 over a union of the subtree; a union outside it is 404; fund officers cannot open projects', async () => {
    const body = { auditedOrgId: ids.grassroots, kind: 'final_accounts', title: '2025 年度经费决算审计', periodFrom: '2025-01-01', periodTo: '2025-12-31', team: '王审计、李会计' };
    expect((await county.post('/api/audit-committee/projects', body)).statusCode).toBe(403);
    expect((await jingshen.post('/api/audit-committee/projects', { ...body, auditedOrgId: await orgIdByName(t, '射阳县总工会') })).statusCode).toBe(404);
    const bad = await jingshen.post('/api/audit-committee/projects', { ...body, periodTo: '2024-12-31' });
    expect(bad.statusCode).toBe(400);
    const p = await jingshen.post('/api/audit-committee/projects', body);
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ kindLabel: '决算审计', statusLabel: '审计中', findingCount: 0, findings: [] });
    ids.project = p.json().id;
  });

  it('a finding gets its rectification task; the audited union hears of it', async () => {
    const f = await jingshen.post(`/api/audit-committee/projects/${ids.project}/findings`, {
      category: 'spending',
      description: '超标准列支职工活动慰问品',
      amount: '12800.50',
      severity: 'major',
      responsiblePerson: '张主席',
      task: '清退超标准部分并修订慰问品管理制度',
      owner: '李财务',
      deadline: day(10),
    });
    expect(f.statusCode, f.body).toBe(200);
    const p = f.json();
    expect(p).toMatchObject({ findingCount: 1, amount: '12800.50', rectificationRate: 0 });
    ids.task = p.findings[0].task.id;
    expect(p.findings[0].task).toMatchObject({ statusLabel: '整改中', overdue: false });
    const inbox = (await grassroots.get('/api/messages')).json().items as { title: string }[];
    expect(inbox.some((m) => m.title.includes('经费审查整改任务'))).toBe(true);
  });

  it('overdue by the platform clock → a 约谈 is recorded (refused before the deadline)', async () => {
    const interview = { heldOn: day(), interviewee: '张主席', interviewer: '经审委员会主任', notes: '督促按期整改' };
    const early = await jingshen.post(`/api/audit-committee/tasks/${ids.task}/interviews`, interview);
    expect(early.statusCode).toBe(409);
    t.clock.advance(11 * DAY);
    // sessions end after 12 h: sign in again on the new day
    jingshen = await t.login('jingshen');
    grassroots = await t.login('grassroots_admin');
    county = await t.login('county_admin');
    sheyang = await t.login('sheyang_admin');
    const overdue = (await jingshen.get('/api/audit-committee/tasks?overdue=1')).json();
    expect(overdue.items.map((x: { id: string }) => x.id)).toEqual([ids.task]);
    const fig = (await jingshen.get('/api/audit-committee/figures')).json();
    expect(fig).toMatchObject({ projects: 1, findings: 1, overdue: 1, rectificationRate: 0, amount: '12800.50' });
    expect(fig.byUnion[0]).toMatchObject({ overdue: 1 });
    const ok = await jingshen.post(`/api/audit-committee/tasks/${ids.task}/interviews`, { ...interview, heldOn: day() });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().findings[0].task.interviews).toHaveLength(1);
  });

  it('closure needs evidence and the committee’s sign-off; a fund officer of the audited union cannot close it', async () => {
    let v = (await jingshen.get(`/api/audit-committee/projects/${ids.project}`)).json().findings[0].task.version;
    const noEvidence = await jingshen.post(`/api/audit-committee/tasks/${ids.task}/close`, { version: v, opinion: '同意销号' });
    expect(noEvidence.statusCode).toBe(409);
    const ev = await grassroots.post(`/api/audit-committee/tasks/${ids.task}/evidence`, { version: v, evidence: '已清退 12800.50 元，附银行回单与新制度' });
    expect(ev.statusCode, ev.body).toBe(200);
    v = ev.json().findings[0].task.version;
    expect((await grassroots.post(`/api/audit-committee/tasks/${ids.task}/close`, { version: v, opinion: '自行销号' })).statusCode).toBe(403);

    // an account holding both fund and committee roles at the audited union: refused by the separation rule
    const sys = await t.login('sysadmin');
    const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
    const made = await sys.post('/api/accounts', {
      username: 'both_roles',
      displayName: '兼职人员',
      orgId: ids.grassroots,
      roleIds: ['grassroots_admin', 'audit_committee'].map((c) => roles.find((r) => r.code === c)!.id),
      password: 'Both#Roles2026',
    });
    expect(made.statusCode, made.body).toBe(200);
    const both = await t.firstLogin('both_roles', 'Both#Roles2026');
    const refused = await both.post(`/api/audit-committee/tasks/${ids.task}/close`, { version: v, opinion: '自己销号' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('不能为本单位');

    const closed = await jingshen.post(`/api/audit-committee/tasks/${ids.task}/close`, { version: v, opinion: '整改到位，同意销号' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ rectificationRate: 100, status: 'closed', overdueTasks: 0 });
    expect(closed.json().findings[0].task).toMatchObject({ statusLabel: '已销号', signedOffBy: '东台市总工会经审委员会' });
    const fig = (await jingshen.get('/api/audit-committee/figures')).json();
    expect(fig).toMatchObject({ rectificationRate: 100, overdue: 0 });
  });

  it('the report is a GB/T 9704 .docx with the four-linked list', async () => {
    const r = await jingshen.get(`/api/audit-committee/projects/${ids.project}/report.docx`);
    expect(r.statusCode).toBe(200);
    const text = docxText(r.rawPayload);
    expect(text).toContain('经费审查委员会');
    expect(text).toContain('整改四联清单');
    expect(text).toContain('超标准列支职工活动慰问品');
  });

  it('another county gets 404, the anonymous 401; every write is audited', async () => {
    expect((await sheyang.get(`/api/audit-committee/projects/${ids.project}`)).statusCode).toBe(404);
    expect((await sheyang.post(`/api/audit-committee/tasks/${ids.task}/evidence`, { version: 1, evidence: 'x' })).statusCode).toBe(404);
    expect((await sheyang.get('/api/audit-committee/projects')).json().total).toBe(0);
    expect((await t.anonymous.get('/api/audit-committee/projects')).statusCode).toBe(401);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'auditcommittee.%').execute()).map((r) => r.action);
    for (const a of ['auditcommittee.project.create', 'auditcommittee.finding.create', 'auditcommittee.task.interview', 'auditcommittee.task.evidence', 'auditcommittee.task.close'])
      expect(actions).toContain(a);
  });
});
