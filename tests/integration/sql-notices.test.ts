// The 通知公告 and 资讯 repositories' queries as SQL, snapshotted beside them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticesRepository as notices } from '../../server/src/modules/notices/notices.repository.js';
import { newsRepository as news } from '../../server/src/modules/notices/news.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
const file = {
  purpose: 'attachment' as const,
  org_id: '1',
  uploaded_by: '1',
  file_name: 'a.pdf',
  kind: 'pdf' as const,
  mime: 'application/pdf',
  size: 1,
  sha256: 'x',
  storage_key: 'notices/snap',
  public_token: null,
};
const notice = {
  org_id: '1',
  org_path: '/1/',
  title: '快照',
  body: '正文',
  audience: JSON.stringify({ roots: [], orgs: [] }),
  recipient_count: 0,
  created_by: '1',
  created_by_name: '快照',
  published_at: at,
};
const audience = { senderPath: '/1/', roots: [{ path: '/1/2/', types: ['town' as const, 'village' as const] }], orgIds: ['5'] };

describe('notices repository SQL', () => {
  it('notices', async () => {
    const text = await captureSql(
      t,
      {
        insertFile: (db) => notices.insertFile(db, file),
        uploadsSince: (db) => notices.uploadsSince(db, '1', at),
        unusedFilesOf: (db) => notices.unusedFilesOf(db, '1', 'reply', ['1', '2']),
        fileById: (db) => notices.fileById(db, '1'),
        orgsInScope: (db) => notices.orgsInScope(db, '/1/', ['2', '5']),
        countAudience: (db) => notices.countAudience(db, audience),
        insertNotice: (db) => notices.insertNotice(db, notice),
        insertAttachments: async (db) => {
          const n = await notices.insertNotice(db, notice);
          const f = await notices.insertFile(db, { ...file, storage_key: 'notices/snap2' });
          await notices.insertAttachments(db, n.id, [f.id]);
        },
        setRecipientCount: (db) => notices.setRecipientCount(db, '1', 3),
        insertRecipients: async (db) => notices.insertRecipients(db, (await notices.insertNotice(db, notice)).id, audience),
        received: (db) => notices.received(db, '2', { q: '通知', status: 'unreplied', limit: 20, offset: 0 }),
        sent: (db) => notices.sent(db, '1', { q: '通知', limit: 20, offset: 0 }),
        unreadCount: (db) => notices.unreadCount(db, '2'),
        visible: (db) => notices.visible(db, '/1/2/', '2', '1'),
        attachments: (db) => notices.attachments(db, '1'),
        recipients: (db) => notices.recipients(db, '1', at, { status: 'late', limit: 20, offset: 0 }),
        recipientFigures: (db) => notices.recipientFigures(db, '1', at),
        markRead: (db) => notices.markRead(db, '1', '2', at, '快照'),
        reply: (db) => notices.reply(db, '1', '2', at, '快照', '收到', null),
        remind: (db) => notices.remind(db, '1', 'unreplied', at),
        withdraw: (db) => notices.withdraw(db, '1', at, '东台管理员', '附件有误'),
        recipientOrgIds: (db) => notices.recipientOrgIds(db, '1'),
        noticeFile: (db) => notices.noticeFile(db, '1', '1', { orgId: '2' }),
        noticeFileAnyReply: (db) => notices.noticeFile(db, '1', '1', 'any'),
      },
      'tests/integration/sql-notices.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/notices/notices.repository.sql');
  });

  it('news', async () => {
    const row = {
      kind: 'article' as const,
      org_id: '1',
      org_path: '/1/',
      target_org_id: '1',
      target_path: '/1/',
      title: '快照',
      summary: null,
      body_html: '<p>x</p>',
      cover_file_id: null,
      link: null,
      publish_at: at,
      created_by: '1',
    };
    const text = await captureSql(
      t,
      {
        insert: (db) => news.insert(db, row),
        update: (db) => news.update(db, '1', 1, { title: '改名', updated_at: at }),
        inScope: (db) => news.inScope(db, '/1/', '1', at),
        list: (db) => news.list(db, '/1/', at, { kind: 'article', status: 'scheduled', q: '资讯', limit: 20, offset: 0 }),
        withdraw: (db) => news.withdraw(db, '1', 1, at, '撤回'),
        ownImage: (db) => news.ownImage(db, '1', '1'),
        imageByToken: (db) => news.imageByToken(db, 'AAAAAAAAAAAAAAAA'),
        workerUnionPath: (db) => news.workerUnionPath(db, '1'),
        feed: (db) => news.feed(db, ['/1/', '/1/2/'], at, { kind: 'banner', limit: 5, offset: 0 }),
        feedItem: (db) => news.feedItem(db, ['/1/', '/1/2/'], at, '1'),
        recordRead: async (db) => {
          const n = await news.insert(db, row);
          const w = await db
            .insertInto('workers')
            .values({ phone_enc: 'x', phone_bidx: 'snap', phone_masked: '139****0000' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await news.recordRead(db, n.id, w.id, at);
        },
      },
      'tests/integration/sql-notices.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/notices/news.repository.sql');
  });
});
