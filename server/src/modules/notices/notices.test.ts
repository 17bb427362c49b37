// 通知公告: the city to every county, a county to its towns with a 回执 and an attachment; the town
// reads it in the bell and on the page, replies with text and a file; the sender sees who read and who
// replied, reminds the rest; late replies are marked; another county's staff get 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, orgIdByName, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { auditActionLabel } from '../audit/audit.labels.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n% 回执\n');
const HOUR = 3_600_000;

let t: TestApp;
const as: Record<string, Client> = {};
const ids: Record<string, string> = {};

const upload = (c: Client, url: string, body: Buffer, name: string) =>
  c.request({ method: 'POST', url: `${url}?name=${encodeURIComponent(name)}`, headers: { 'content-type': 'application/octet-stream' }, payload: body });

beforeAll(async () => {
  t = await createTestApp();
  for (const u of ['city_admin', 'county_admin', 'town_admin', 'sheyang_admin', 'grassroots_admin', 'leader']) as[u] = await t.login(u);
  ids.city = await orgIdByName(t, '盐城市总工会');
  ids.dongtai = await orgIdByName(t, '东台市总工会');
  ids.sheyang = await orgIdByName(t, '射阳县总工会');
  ids.town = (await t.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'town_admin').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => t?.close());

describe('notices down the tree', () => {
  it('the city previews and sends to every county union', async () => {
    const counties = await t.db.selectFrom('orgs').select('id').where('type', '=', 'county').where('status', '=', 'active').execute();
    const audience = { roots: [{ orgId: ids.city, types: ['county'] }] };
    const preview = await as.city_admin!.post('/api/notices/audience-preview', { audience });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().total).toBe(counties.length);
    expect(preview.json().byType).toEqual([{ type: 'county', label: '县(市、区)总工会', count: counties.length }]);
    const sent = await as.city_admin!.post('/api/notices', {
      title: '关于开展年末送温暖活动的通知',
      body: '各县（市、区）总工会：请做好送温暖工作。',
      audience,
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().recipientCount).toBe(counties.length);
    ids.cityNotice = sent.json().id;
    // The county's bell and 收到的.
    const bell = (await as.county_admin!.get('/api/messages?unreadOnly=true')).json();
    expect(bell.items.find((m: { link: string }) => m.link === `/admin/#/notices/${ids.cityNotice}`)?.title).toBe('通知公告：关于开展年末送温暖活动的通知');
    const received = (await as.county_admin!.get('/api/notices/received')).json();
    expect(received.items[0]).toMatchObject({ id: ids.cityNotice, senderName: '盐城市总工会', readAt: null, receiptRequired: false });
    expect(received.unread).toBe(1);
    // A town under the county is not a recipient: 404.
    expect((await as.town_admin!.get(`/api/notices/${ids.cityNotice}`)).statusCode).toBe(404);
  });

  it('a county sends to its towns with an attachment and a 回执 by a deadline', async () => {
    const att = await upload(as.county_admin!, '/api/notices/attachments', PDF, '回执表.pdf');
    expect(att.statusCode, att.body).toBe(200);
    ids.attachment = att.json().id;
    const deadline = new Date(t.clock.now().getTime() + 48 * HOUR).toISOString();
    const towns = await t.db
      .selectFrom('orgs')
      .select('id')
      .where('parent_id', '=', ids.dongtai!)
      .where('type', '=', 'town')
      .where('status', '=', 'active')
      .execute();
    const sent = await as.county_admin!.post('/api/notices', {
      title: '关于报送新就业形态劳动者入会情况的通知',
      body: '请各镇（区、街道）于截止时间前报送。',
      audience: { roots: [{ orgId: ids.dongtai, types: ['town'] }] },
      attachmentIds: [ids.attachment],
      receipt: { prompt: '请填写已入会人数并上传汇总表', deadline },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().recipientCount).toBe(towns.length);
    ids.notice = sent.json().id;
    // The same file cannot be attached twice.
    const again = await as.county_admin!.post('/api/notices', {
      title: '重复附件',
      body: '正文',
      audience: { orgIds: [ids.town] },
      attachmentIds: [ids.attachment],
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields.attachmentIds).toContain('附件');
  });

  it('the town sees it in the bell and the list, opens it (read) and replies once with text and a file', async () => {
    const bell = (await as.town_admin!.get('/api/messages')).json();
    expect(bell.items.some((m: { link: string; category: string }) => m.link === `/admin/#/notices/${ids.notice}` && m.category === 'notice')).toBe(true);
    expect((await as.town_admin!.get('/api/notices/unread-count')).json().unread).toBe(1);
    const detail = await as.town_admin!.get(`/api/notices/${ids.notice}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ receiptRequired: true, receiptPrompt: '请填写已入会人数并上传汇总表', senderName: '东台市总工会', sent: null });
    expect(detail.json().mine.readAt).toBeTruthy();
    expect(detail.json().attachments).toEqual([{ id: ids.attachment, name: '回执表.pdf', kind: 'pdf', size: PDF.length }]);
    const file = await as.town_admin!.get(`/api/notices/${ids.notice}/files/${ids.attachment}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect((await as.town_admin!.get('/api/notices/unread-count')).json().unread).toBe(0);

    const f = await upload(as.town_admin!, '/api/notices/reply-files', PNG, '汇总表.png');
    expect(f.statusCode, f.body).toBe(200);
    ids.replyFile = f.json().id;
    expect((await as.town_admin!.post(`/api/notices/${ids.notice}/reply`, {})).json().error.fields.text).toBe('请填写回执内容或上传回执文件');
    const r = await as.town_admin!.post(`/api/notices/${ids.notice}/reply`, { text: '已入会 126 人', fileId: ids.replyFile });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().late).toBe(false);
    const twice = await as.town_admin!.post(`/api/notices/${ids.notice}/reply`, { text: '再报一次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('本单位已回执，不能重复提交');
    // A notice without a 回执 refuses one.
    expect((await as.county_admin!.post(`/api/notices/${ids.cityNotice}/reply`, { text: '收到' })).statusCode).toBe(409);
  });

  it('the sender sees per union who read and who replied, and reminds the rest', async () => {
    const d = (await as.county_admin!.get(`/api/notices/${ids.notice}`)).json();
    expect(d.mine).toBeNull();
    expect(d.sent.figures).toMatchObject({ read: 1, replied: 1, late: 0 });
    expect(d.sent.audience.roots).toEqual([{ orgId: ids.dongtai, name: '东台市总工会', types: ['town'] }]);
    const list = (await as.county_admin!.get(`/api/notices/${ids.notice}/recipients?status=replied`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ orgId: ids.town, replyText: '已入会 126 人', replyFile: { id: ids.replyFile, name: '汇总表.png' }, late: false });
    expect(list.items[0].repliedByName).toBeTruthy();
    const file = await as.county_admin!.get(`/api/notices/${ids.notice}/files/${ids.replyFile}`);
    expect(file.statusCode).toBe(200);
    const unreplied = (await as.county_admin!.get(`/api/notices/${ids.notice}/recipients?status=unreplied&pageSize=200`)).json();
    const remind = await as.county_admin!.post(`/api/notices/${ids.notice}/remind`, { which: 'unreplied' });
    expect(remind.statusCode, remind.body).toBe(200);
    expect(remind.json().reminded).toBe(unreplied.total);
    const after = (await as.county_admin!.get(`/api/notices/${ids.notice}/recipients?status=unreplied&pageSize=1`)).json();
    expect(after.items[0].remindCount).toBe(1);
    // The town that replied is not reminded.
    const townBell = (await as.town_admin!.get('/api/messages')).json();
    expect(townBell.items.some((m: { title: string }) => m.title.startsWith('提醒'))).toBe(false);
    // 发出的 carries the counts.
    const sent = (await as.county_admin!.get('/api/notices/sent')).json();
    expect(sent.items[0]).toMatchObject({ id: ids.notice, readCount: 1, repliedCount: 1, recipientCount: unreplied.total + 1 });
  });

  it('a reply after the deadline is taken and marked late', async () => {
    const village = await t.db
      .selectFrom('orgs')
      .select('id')
      .where('parent_id', '=', ids.town!)
      .where('type', '=', 'village')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const sent = await as.town_admin!.post('/api/notices', {
      title: '村工会换届情况摸底',
      body: '请回执。',
      audience: { orgIds: [village.id] },
      receipt: { deadline: new Date(t.clock.now().getTime() + HOUR).toISOString() },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    // A village staff account: made by the system administrator with the grassroots role.
    const sys = await t.login('sysadmin');
    const roles = (await sys.get('/api/roles')).json().items as { id: string; code: string }[];
    const made = await sys.post('/api/accounts', {
      username: 'village_notice',
      displayName: '村工会干事',
      orgId: village.id,
      roleIds: [roles.find((r) => r.code === 'grassroots_admin')!.id],
      password: 'Village#2026x',
    });
    expect(made.statusCode, made.body).toBe(200);
    t.clock.advance(2 * HOUR);
    // Two hours on, the sessions have idled out: sign in again.
    for (const u of Object.keys(as)) as[u] = await t.login(u);
    const v = await t.firstLogin('village_notice', 'Village#2026x');
    const r = await v.post(`/api/notices/${sent.json().id}/reply`, { text: '已摸底' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().late).toBe(true);
    const list = (await as.town_admin!.get(`/api/notices/${sent.json().id}/recipients?status=late`)).json();
    expect(list.items.map((x: { orgId: string }) => x.orgId)).toEqual([village.id]);
    // Staff without notice:publish may not send.
    expect((await v.post('/api/notices', { title: '越级', body: 'x', audience: { orgIds: [village.id] } })).statusCode).toBe(403);
  });

  it('refuses a deadline in the past, an empty audience, and orgs outside the subtree (404)', async () => {
    const past = await as.county_admin!.post('/api/notices', {
      title: '过期回执',
      body: 'x',
      audience: { orgIds: [ids.town] },
      receipt: { deadline: new Date(t.clock.now().getTime() - HOUR).toISOString() },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields['receipt.deadline']).toBe('回执截止时间应晚于现在');
    expect((await as.county_admin!.post('/api/notices', { title: '空', body: 'x', audience: { roots: [] } })).json().error.fields['audience.roots']).toBe(
      '请选择接收单位',
    );
    const none = await as.county_admin!.post('/api/notices', { title: '无人', body: 'x', audience: { roots: [{ orgId: ids.dongtai, types: ['city'] }] } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toContain('没有可接收的工会');
    const outside = await as.county_admin!.post('/api/notices', { title: '越权', body: 'x', audience: { roots: [{ orgId: ids.sheyang, types: ['town'] }] } });
    expect(outside.statusCode).toBe(404);
  });

  it('another county sees none of it; anonymous callers get 401', async () => {
    const sy = as.sheyang_admin!;
    for (const url of [`/api/notices/${ids.notice}`, `/api/notices/${ids.notice}/recipients`, `/api/notices/${ids.notice}/files/${ids.attachment}`]) {
      expect((await sy.get(url)).statusCode, url).toBe(404);
    }
    expect((await sy.post(`/api/notices/${ids.notice}/reply`, { text: 'x' })).statusCode).toBe(404);
    expect((await sy.post(`/api/notices/${ids.notice}/remind`, { which: 'unread' })).statusCode).toBe(404);
    expect((await sy.get('/api/notices/received')).json().items.some((n: { id: string }) => n.id === ids.notice)).toBe(false);
    // 射阳 received the city's notice, not 东台's.
    expect((await sy.get('/api/notices/received')).json().items.map((n: { id: string }) => n.id)).toEqual([ids.cityNotice]);
    for (const url of ['/api/notices/received', `/api/notices/${ids.notice}`, '/api/notices/sent']) {
      expect((await t.anonymous.get(url)).statusCode).toBe(401);
    }
    // The leader (notice:read) of the city sees the city's notice, but not the recipients' table (notice:publish).
    expect((await as.leader!.get(`/api/notices/${ids.cityNotice}`)).statusCode).toBe(200);
    expect((await as.leader!.get(`/api/notices/${ids.cityNotice}/recipients`)).statusCode).toBe(403);
  });

  it('撤回: only the sending union withdraws, with a reason; recipients keep the title and the reason, not the content; no more 回执 or reminders', async () => {
    const att = await upload(as.county_admin!, '/api/notices/attachments', PDF, '错发的附件.pdf');
    const town = ids.town!;
    const sent = await as.county_admin!.post('/api/notices', {
      title: '关于报送三季度台账的通知（错发）',
      body: '请各镇于本周内报送台账。',
      audience: { orgIds: [town] },
      attachmentIds: [att.json().id],
      receipt: { prompt: '请上传台账', deadline: new Date(t.clock.now().getTime() + 24 * HOUR).toISOString() },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const id = sent.json().id as string;
    const unreadBefore = (await as.town_admin!.get('/api/notices/unread-count')).json().unread;
    // another county: 404; the town (a recipient: the sender's side is not in its subtree): 404; the city above (in scope, not the sender): 403; anonymous: 401
    expect((await as.sheyang_admin!.post(`/api/notices/${id}/withdraw`, { reason: '发错了' })).statusCode).toBe(404);
    expect((await as.town_admin!.post(`/api/notices/${id}/withdraw`, { reason: '发错了' })).statusCode).toBe(404);
    expect((await as.city_admin!.post(`/api/notices/${id}/withdraw`, { reason: '发错了' })).statusCode).toBe(403);
    expect((await t.anonymous.post(`/api/notices/${id}/withdraw`, { reason: '发错了' })).statusCode).toBe(401);
    const noReason = await as.county_admin!.post(`/api/notices/${id}/withdraw`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toContain('撤回原因');

    const w = await as.county_admin!.post(`/api/notices/${id}/withdraw`, { reason: '附件有误，另行发文' });
    expect(w.statusCode, w.body).toBe(200);
    expect((await as.county_admin!.post(`/api/notices/${id}/withdraw`, { reason: '再撤一次' })).statusCode).toBe(409);

    // the town: told in the bell; the notice no longer waits; title and reason only
    const bell = (await as.town_admin!.get('/api/messages?unreadOnly=true')).json();
    expect(bell.items.some((m: { title: string; body: string }) => m.title === '通知已撤回：关于报送三季度台账的通知（错发）' && m.body.includes('附件有误'))).toBe(true);
    expect((await as.town_admin!.get('/api/notices/unread-count')).json().unread).toBe(unreadBefore - 1);
    const seen = (await as.town_admin!.get(`/api/notices/${id}`)).json();
    expect(seen.withdrawn).toMatchObject({ reason: '附件有误，另行发文' });
    expect(seen.body).toBe('');
    expect(seen.attachments).toEqual([]);
    expect((await as.town_admin!.get(`/api/notices/${id}/files/${att.json().id}`)).statusCode).toBe(404);
    expect((await as.town_admin!.post(`/api/notices/${id}/reply`, { text: '已报' })).statusCode).toBe(409);
    const listed = (await as.town_admin!.get('/api/notices/received')).json().items.find((n: { id: string }) => n.id === id);
    expect(listed.withdrawnAt).not.toBeNull();
    expect(listed.overdue).toBe(false);
    // the sender keeps everything, cannot remind
    const own = (await as.county_admin!.get(`/api/notices/${id}`)).json();
    expect(own.body).toBe('请各镇于本周内报送台账。');
    expect(own.attachments).toHaveLength(1);
    expect(own.sent).toMatchObject({ canWithdraw: false, canRemind: false });
    expect((await as.county_admin!.post(`/api/notices/${id}/remind`, { which: 'unread' })).statusCode).toBe(409);
    expect((await as.county_admin!.get('/api/notices/sent')).json().items.find((n: { id: string }) => n.id === id).withdrawnAt).not.toBeNull();
  });

  it('writes audit rows in words', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['action', 'target_type']).where('action', 'like', 'notice.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['notice.publish', 'notice.reply', 'notice.remind', 'notice.withdraw', 'notice.file_upload']) {
      expect(actions.has(a), a).toBe(true);
      expect(auditActionLabel(a)).not.toBe(a);
    }
  });
});
