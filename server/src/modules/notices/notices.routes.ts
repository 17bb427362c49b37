import type { FastifyReply } from 'fastify';
import type { App, RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { sendDownload } from '../../platform/download.js';
import { ATTACHMENT_LIMIT } from '../applications/applications.files.js';
import type { NoticeFiles } from './notices.files.js';
import type { NoticesService } from './notices.service.js';
import type { NewsService } from './news.service.js';
import {
  audiencePreviewBody,
  createNewsBody,
  fileParams,
  newsListQuery,
  previewBody,
  publishNoticeBody,
  receivedQuery,
  recipientsQuery,
  remindBody,
  withdrawBody,
  replyBody,
  sentQuery,
  tokenParam,
  updateNewsBody,
  uploadQuery,
  withdrawNewsBody,
  workerNewsQuery,
} from './notices.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const READ = { access: 'notice:read' } as const;
const PUBLISH = { access: 'notice:publish' } as const;
const READ_OR_PUBLISH = { access: ['notice:read', 'notice:publish'] } as const;
const NEWS = { access: 'news:publish' } as const;
const WORKER = { access: 'worker' } as const;

function sendFile(reply: FastifyReply, f: { data: Buffer; mime: string; name: string }) {
  const ext = f.mime === 'image/jpeg' ? 'jpg' : f.mime.split('/')[1];
  return sendDownload(reply, { body: f.data, contentType: f.mime, fileName: f.name, asciiName: `file.${ext}` }, 'inline');
}

/** A published article image: cacheable (no personal data; the token changes with the file). */
function sendPublicImage(reply: FastifyReply, f: { data: Buffer; mime: string }) {
  return reply.header('content-type', f.mime).header('cache-control', 'public, max-age=86400').send(f.data);
}

export function noticesRoutes(app: App, notices: NoticesService, files: NoticeFiles) {
  const tags = ['notices'];
  app.get('/api/notices/received', { config: READ, schema: { tags, summary: '收到的通知公告（本单位）', querystring: receivedQuery } }, async (req) =>
    notices.received(staff(req), req.query),
  );
  app.get('/api/notices/unread-count', { config: READ, schema: { tags, summary: '本单位未读的通知公告数' } }, async (req) => notices.unreadCount(staff(req)));
  app.get('/api/notices/sent', { config: PUBLISH, schema: { tags, summary: '本单位发出的通知公告（阅读、回执数）', querystring: sentQuery } }, async (req) =>
    notices.sent(staff(req), req.query),
  );
  app.post(
    '/api/notices/audience-preview',
    { config: PUBLISH, schema: { tags, summary: '接收范围预览：各层级工会数', body: audiencePreviewBody } },
    async (req) => notices.previewAudience(staff(req), req.body.audience),
  );
  app.post(
    '/api/notices',
    { config: PUBLISH, schema: { tags, summary: '发布通知公告（按层级/范围或逐个选择接收单位，可要求回执）', body: publishNoticeBody } },
    async (req) => notices.publish(staff(req), req.meta, req.body),
  );
  app.get(
    '/api/notices/:id',
    { config: READ_OR_PUBLISH, schema: { tags, summary: '通知公告详情（接收单位首次打开即记为已读）', params: idParam } },
    async (req) => notices.get(staff(req), req.params.id),
  );
  app.get(
    '/api/notices/:id/recipients',
    { config: PUBLISH, schema: { tags, summary: '接收单位的阅读与回执情况', params: idParam, querystring: recipientsQuery } },
    async (req) => notices.recipients(staff(req), req.params.id, req.query),
  );
  app.post(
    '/api/notices/:id/reply',
    { config: READ, schema: { tags, summary: '填报回执（文字或文件，每单位一次）', params: idParam, body: replyBody } },
    async (req) => notices.reply(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/notices/:id/remind',
    { config: PUBLISH, schema: { tags, summary: '一键提醒未读或未回执的单位（站内消息）', params: idParam, body: remindBody } },
    async (req) => notices.remind(staff(req), req.meta, req.params.id, req.body.which),
  );
  app.post(
    '/api/notices/:id/withdraw',
    { config: PUBLISH, schema: { tags, summary: '撤回通知（发文单位，须填写原因；接收单位只见标题与撤回原因）', params: idParam, body: withdrawBody } },
    async (req) => notices.withdraw(staff(req), req.meta, req.params.id, req.body.reason),
  );
  app.get(
    '/api/notices/:id/files/:fileId',
    { config: READ_OR_PUBLISH, schema: { tags, summary: '下载通知附件或回执文件', params: fileParams } },
    async (req, reply) => sendFile(reply, await notices.file(staff(req), req.params.id, req.params.fileId)),
  );

  // Raw-body uploads (the bytes decide the type), a little over the limit so the service answers in Chinese.
  void app.register(async (scope) => {
    const sc = scope as App;
    sc.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_LIMIT + 1024 * 1024 }, (_req, body, done) => done(null, body));
    const upload =
      (purpose: 'attachment' | 'reply' | 'news_image') => async (req: { actor: unknown; meta: RequestMeta; body: unknown; query: { name?: string } }) =>
        files.upload(staff(req), req.meta, purpose, req.body as Buffer | undefined, req.query.name);
    const rateLimit = { max: 60, timeWindow: 60_000 };
    sc.post(
      '/api/notices/attachments',
      { config: { ...PUBLISH, rateLimit }, schema: { tags, summary: '上传通知附件（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', querystring: uploadQuery } },
      upload('attachment'),
    );
    sc.post(
      '/api/notices/reply-files',
      { config: { ...READ, rateLimit }, schema: { tags, summary: '上传回执文件（原始文件作请求体；JPG/PNG/PDF，≤ 10 MB）', querystring: uploadQuery } },
      upload('reply'),
    );
    sc.post(
      '/api/news/images',
      { config: { ...NEWS, rateLimit }, schema: { tags: ['news'], summary: '上传资讯图片（原始文件作请求体；JPG/PNG，≤ 10 MB）', querystring: uploadQuery } },
      upload('news_image'),
    );
  });
}

export function newsRoutes(app: App, news: NewsService) {
  const tags = ['news'];
  app.get('/api/news/dictionary', { config: NEWS, schema: { tags, summary: '资讯类型与状态' } }, async () => news.dictionary());
  app.get('/api/news', { config: NEWS, schema: { tags, summary: '资讯、横幅与服务推荐（本级及下级发布的）', querystring: newsListQuery } }, async (req) =>
    news.list(staff(req), req.query),
  );
  app.post('/api/news', { config: NEWS, schema: { tags, summary: '新建资讯（草稿、立即或定时发布）', body: createNewsBody } }, async (req) =>
    news.create(staff(req), req.meta, req.body),
  );
  app.post('/api/news/preview', { config: NEWS, schema: { tags, summary: '正文预览（服务器按白名单清理后的 HTML）', body: previewBody } }, async (req) =>
    news.preview(req.body.bodyHtml),
  );
  app.get('/api/news/:id', { config: NEWS, schema: { tags, summary: '资讯详情', params: idParam } }, async (req) => news.get(staff(req), req.params.id));
  app.patch('/api/news/:id', { config: NEWS, schema: { tags, summary: '修改资讯（含发布时间）', params: idParam, body: updateNewsBody } }, async (req) =>
    news.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/news/:id/withdraw',
    { config: NEWS, schema: { tags, summary: '撤回资讯（职工端不再显示）', params: idParam, body: withdrawNewsBody } },
    async (req) => news.withdraw(staff(req), req.meta, req.params.id, req.body),
  );

  // Article images: published content by an unguessable token, for the H5 and the console alike.
  app.get(
    '/api/public/news-images/:token',
    { config: { access: 'public', rateLimit: { max: 300, timeWindow: 60_000 } }, schema: { tags, summary: '资讯图片', params: tokenParam } },
    async (req, reply) => sendPublicImage(reply, await news.image(req.params.token)),
  );

  // worker H5
  app.get(
    '/api/worker/news/home',
    { config: WORKER, schema: { tags, summary: '首页工会资讯：横幅、服务推荐与最新资讯（本人所在工会及上级工会发布的）' } },
    async (req) => news.home(worker(req)),
  );
  app.get('/api/worker/news', { config: WORKER, schema: { tags, summary: '资讯列表', querystring: workerNewsQuery } }, async (req) =>
    news.feed(worker(req), req.query),
  );
  app.get('/api/worker/news/:id', { config: WORKER, schema: { tags, summary: '资讯正文（首次阅读计一次阅读数）', params: idParam } }, async (req) =>
    news.read(worker(req), req.params.id),
  );
}
