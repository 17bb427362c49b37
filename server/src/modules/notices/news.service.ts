// 资讯 to workers (issue 15 item 7, decision 025): articles (HTML through the allowlist in
// news.sanitize.ts), banners (image + link) and 服务推荐 published by a union to the workers of one
// subtree of its own (target). Shown from publish_at (now or scheduled; the clock decides, no job)
// until withdrawn. A worker sees the items targeted at their membership union or any union above it;
// a worker without a live membership sees the city-wide ones (targeted at the root).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { NoticeFiles } from './notices.files.js';
import { newsRepository as repo, type NewsStatus } from './news.repository.js';
import { htmlToText, NEWS_IMAGE_PREFIX, sanitizeArticleHtml } from './news.sanitize.js';
import { NEWS_KINDS, NEWS_STATUSES, type NewsInput } from './notices.schema.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const imageUrl = (token: string | null | undefined) => (token ? `${NEWS_IMAGE_PREFIX}${token}` : null);

/** The ancestors of a materialised path, itself included: `/1/5/9/` → `/1/`, `/1/5/`, `/1/5/9/`. */
export function chainOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

export function createNewsService(ctx: ModuleContext, files: NoticeFiles) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  /** What is stored for an input: the target inside the caller's subtree, the body sanitised, kind rules. */
  async function prepare(actor: StaffActor, input: NewsInput) {
    const target = await ctx.orgs.findInScope(actor, input.targetOrgId);
    if (!target) throw notFound('发布范围');
    const bodyHtml = input.kind === 'article' ? sanitizeArticleHtml(input.bodyHtml) : '';
    if (input.kind === 'article' && !htmlToText(bodyHtml) && !bodyHtml.includes('<img')) throw invalid({ bodyHtml: '请填写正文' });
    if (input.kind === 'banner' && !input.coverFileId) throw invalid({ coverFileId: '横幅需要一张图片' });
    if (input.kind === 'service' && !input.link) throw invalid({ link: '服务推荐需要链接（如 #/services）' });
    if (input.coverFileId && !(await repo.ownImage(db, actor.orgId, input.coverFileId))) throw invalid({ coverFileId: '图片不存在，请重新上传' });
    // A moment already past publishes now (the editor's 立即发布 sends the time it was pressed).
    const publishAt = input.publishAt ? new Date(Math.max(input.publishAt.getTime(), now().getTime())) : null;
    return {
      kind: input.kind,
      title: input.title,
      summary: input.summary ?? (input.kind === 'article' ? htmlToText(bodyHtml).slice(0, 80) || null : null),
      body_html: bodyHtml,
      cover_file_id: input.coverFileId ?? null,
      link: input.link,
      target_org_id: target.id,
      target_path: target.path,
      publish_at: publishAt,
    };
  }

  const present = (n: NonNullable<Awaited<ReturnType<typeof repo.inScope>>> | Awaited<ReturnType<typeof repo.list>>['items'][number]) => ({
    id: n.id,
    kind: n.kind,
    kindLabel: NEWS_KINDS[n.kind],
    title: n.title,
    summary: n.summary,
    link: n.link,
    orgId: n.org_id,
    orgName: n.org_name,
    targetOrgId: n.target_org_id,
    targetName: n.target_name,
    coverFileId: n.cover_file_id,
    coverUrl: imageUrl(n.cover_token),
    status: n.status,
    statusLabel: NEWS_STATUSES[n.status],
    publishAt: iso(n.publish_at),
    withdrawnAt: iso(n.withdrawn_at),
    withdrawReason: n.withdraw_reason,
    readCount: n.read_count,
    version: n.version,
    createdAt: n.created_at.toISOString(),
    updatedAt: n.updated_at.toISOString(),
  });

  async function staffItem(actor: StaffActor, id: string) {
    const n = await repo.inScope(db, actor.orgPath, id, now());
    if (!n) throw notFound('资讯');
    return n;
  }

  async function chainOfWorker(worker: WorkerActor) {
    const path = await repo.workerUnionPath(db, worker.workerId);
    return path ? chainOf(path) : [await ctx.orgs.rootPath()];
  }

  const card = (n: Awaited<ReturnType<typeof repo.feed>>['items'][number]) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    summary: n.summary,
    link: n.link,
    orgName: n.org_name,
    imageUrl: imageUrl(n.cover_token),
    publishedAt: n.publish_at!.toISOString(),
    readCount: n.read_count,
  });

  async function audit(
    trx: Parameters<typeof ctx.audit.append>[0],
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    id: string,
    detail: Record<string, unknown>,
  ) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType: 'news', targetId: id, orgId: actor.orgId, outcome: 'success', detail });
  }

  return {
    dictionary: () => ({ kinds: NEWS_KINDS, statuses: NEWS_STATUSES }),

    /** What the article will look like: the server's allowlist applied. */
    preview: (bodyHtml: string) => ({ html: sanitizeArticleHtml(bodyHtml) }),

    async list(actor: StaffActor, q: { page: number; pageSize: number; kind?: NewsInput['kind']; status?: NewsStatus; q?: string }) {
      const r = await repo.list(db, actor.orgPath, now(), { kind: q.kind, status: q.status, q: q.q, limit: q.pageSize, offset: offsetOf(q) });
      return { total: r.total, items: r.items.map(present) };
    },

    async get(actor: StaffActor, id: string) {
      const n = await staffItem(actor, id);
      return { ...present(n), bodyHtml: n.body_html };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: NewsInput) {
      const row = await prepare(actor, input);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const made = await repo.insert(trx, {
          ...row,
          org_id: actor.orgId,
          org_path: actor.orgPath,
          created_by: actor.accountId,
          created_at: at,
          updated_at: at,
        });
        await audit(trx, actor, meta, 'news.create', made.id, { kind: row.kind, title: row.title, target: row.target_org_id, publishAt: iso(row.publish_at) });
        return made.id;
      });
      return this.get(actor, id);
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: NewsInput & { version: number }) {
      const current = await staffItem(actor, id);
      if (current.status === 'withdrawn') throw new AppError('CONFLICT', '已撤回的资讯不能修改');
      const row = await prepare(actor, input);
      await db.transaction().execute(async (trx) => {
        const done = await repo.update(trx, id, input.version, { ...row, updated_at: now() });
        if (!done) throw conflict();
        await audit(trx, actor, meta, 'news.update', id, { kind: row.kind, title: row.title, target: row.target_org_id, publishAt: iso(row.publish_at) });
      });
      return this.get(actor, id);
    },

    async withdraw(actor: StaffActor, meta: RequestMeta, id: string, input: { reason: string; version: number }) {
      const current = await staffItem(actor, id);
      if (current.status === 'withdrawn') throw new AppError('CONFLICT', '该资讯已撤回');
      await db.transaction().execute(async (trx) => {
        const done = await repo.withdraw(trx, id, input.version, now(), input.reason);
        if (!done) throw conflict();
        await audit(trx, actor, meta, 'news.withdraw', id, { reason: input.reason, wasStatus: current.status });
      });
      return this.get(actor, id);
    },

    // ---- workers ----
    /** The H5 home's 工会资讯 slot: banners, 服务推荐 and the latest articles for the worker's union chain. */
    async home(worker: WorkerActor) {
      const chain = await chainOfWorker(worker);
      const at = now();
      const [banners, services, articles] = await Promise.all([
        repo.feed(db, chain, at, { kind: 'banner', limit: 5, offset: 0 }),
        repo.feed(db, chain, at, { kind: 'service', limit: 4, offset: 0 }),
        repo.feed(db, chain, at, { kind: 'article', limit: 5, offset: 0 }),
      ]);
      return { banners: banners.items.map(card), services: services.items.map(card), articles: articles.items.map(card), moreArticles: articles.total > 5 };
    },

    async feed(worker: WorkerActor, q: { page: number; pageSize: number; kind?: NewsInput['kind'] }) {
      const r = await repo.feed(db, await chainOfWorker(worker), now(), { kind: q.kind, limit: q.pageSize, offset: offsetOf(q) });
      return { total: r.total, items: r.items.map(card) };
    },

    /** An article for the worker; the first opening counts one read. Outside the worker's chain: 404. */
    async read(worker: WorkerActor, id: string) {
      const at = now();
      const n = await repo.feedItem(db, await chainOfWorker(worker), at, id);
      if (!n) throw notFound('资讯');
      const count = await repo.recordRead(db, id, worker.workerId, at);
      return {
        id: n.id,
        kind: n.kind,
        title: n.title,
        summary: n.summary,
        bodyHtml: n.body_html,
        link: n.link,
        orgName: n.org_name,
        imageUrl: imageUrl(n.cover_token),
        publishedAt: n.publish_at!.toISOString(),
        readCount: count ?? n.read_count,
      };
    },

    /** An article image by its token (published content; unguessable before publication). */
    async image(token: string) {
      return files.read(await repo.imageByToken(db, token));
    },
  };
}

export type NewsService = ReturnType<typeof createNewsService>;
