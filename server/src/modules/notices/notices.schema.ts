import { z } from 'zod';
import type { OrgType } from '../../db/schema.js';
import { idField, versionField } from '../../platform/fields.js';
import { pageQuery } from '../../platform/pagination.js';
import { ORG_TYPES } from '../orgs/orgs.schema.js';

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish()
    .transform((v) => v || null);
const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label}应为 ISO 8601 时间（如 2026-12-01T17:00:00+08:00）` }).transform((s) => new Date(s));

const orgTypeEnum = z.enum(Object.keys(ORG_TYPES) as [OrgType, ...OrgType[]], { error: '组织层级无效' });

/** Recipients: subtree roots with the levels wanted below them (e.g. 市总 → all 县总), and/or unions one by one. */
export const audienceField = z
  .strictObject(
    {
      roots: z
        .array(
          z.strictObject({
            orgId: idField('范围'),
            types: z.array(orgTypeEnum, { error: '请选择接收层级' }).min(1, '请选择接收层级').max(7),
          }),
          { error: '接收范围格式错误' },
        )
        .max(20, '接收范围最多 20 个')
        .default([]),
      orgIds: z.array(idField('接收单位'), { error: '接收单位格式错误' }).max(500, '逐个选择的接收单位最多 500 个').default([]),
    },
    { error: '请选择接收单位' },
  )
  .refine((a) => a.roots.length + a.orgIds.length > 0, { message: '请选择接收单位', path: ['roots'] });
export type AudienceInput = z.infer<typeof audienceField>;

export const publishNoticeBody = z.strictObject({
  title: text('标题', 2, 100),
  body: text('正文', 1, 20000),
  audience: audienceField,
  attachmentIds: z.array(idField('附件'), { error: '附件格式错误' }).max(10, '附件最多 10 个').default([]),
  receipt: z
    .strictObject({
      prompt: optionalText('回执要求', 500),
      deadline: instant('回执截止时间'),
    })
    .nullish(),
});
export type PublishNoticeInput = z.infer<typeof publishNoticeBody>;

export const audiencePreviewBody = z.strictObject({ audience: audienceField });

export const receivedQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(50, '关键词不能超过 50 个字').optional(),
  status: z.enum(['unread', 'unreplied'], { error: '筛选状态无效' }).optional(),
});
export const sentQuery = z.strictObject({ ...pageQuery, q: z.string().trim().max(50, '关键词不能超过 50 个字').optional() });
export const recipientsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['unread', 'read', 'unreplied', 'replied', 'late'], { error: '筛选状态无效' }).optional(),
});

export const replyBody = z
  .strictObject({
    text: optionalText('回执内容', 2000),
    fileId: idField('回执附件').nullish(),
  })
  .refine((r) => !!r.text || !!r.fileId, { message: '请填写回执内容或上传回执文件', path: ['text'] });

export const remindBody = z.strictObject({ which: z.enum(['unread', 'unreplied'], { error: '请选择提醒对象' }) });

export const withdrawBody = z.strictObject({
  reason: z.string({ error: '请填写撤回原因' }).trim().min(2, '请填写撤回原因（至少 2 个字）').max(200, '撤回原因最多 200 个字'),
});

export const fileParams = z.strictObject({ id: idField(), fileId: idField('附件') });
export const uploadQuery = z.strictObject({ name: z.string().max(200, '文件名过长').optional() });

// ---- 资讯 ----
export const NEWS_KINDS = { article: '资讯文章', banner: '横幅', service: '服务推荐' } as const;
export const NEWS_STATUSES = { draft: '草稿', scheduled: '定时发布', published: '已发布', withdrawn: '已撤回' } as const;

/** A banner's / 服务推荐's link: an H5 page (`/h5/#/…`, `#/…`) or an http(s) address. */
const linkField = z
  .string({ error: '链接应为文字' })
  .trim()
  .max(300, '链接不能超过 300 个字')
  .refine((v) => v === '' || /^(https?:\/\/[^/\s]+|\/h5\/#\/|#\/)\S*$/.test(v), '链接应为 http(s) 地址或职工端页面（以 #/ 开头）')
  .nullish()
  .transform((v) => v || null);

const newsFields = {
  kind: z.enum(['article', 'banner', 'service'], { error: '资讯类型无效' }),
  title: text('标题', 2, 80),
  summary: optionalText('摘要', 200),
  bodyHtml: z.string({ error: '正文应为文字' }).max(100_000, '正文过长（最多 10 万字符）').default(''),
  coverFileId: idField('封面图片').nullish(),
  link: linkField,
  targetOrgId: idField('发布范围'),
  /** null: a draft; a moment: published then (now or later). */
  publishAt: instant('发布时间').nullish(),
};
export const createNewsBody = z.strictObject(newsFields);
export type NewsInput = z.infer<typeof createNewsBody>;
export const updateNewsBody = z.strictObject({ ...newsFields, version: versionField() });
export const withdrawNewsBody = z.strictObject({ reason: text('撤回原因', 2, 200), version: versionField() });
export const previewBody = z.strictObject({ bodyHtml: z.string({ error: '正文应为文字' }).max(100_000, '正文过长（最多 10 万字符）') });
export const newsListQuery = z.strictObject({
  ...pageQuery,
  kind: z.enum(['article', 'banner', 'service'], { error: '资讯类型无效' }).optional(),
  status: z.enum(['draft', 'scheduled', 'published', 'withdrawn'], { error: '状态无效' }).optional(),
  q: z.string().trim().max(50, '关键词不能超过 50 个字').optional(),
});
export const workerNewsQuery = z.strictObject({
  ...pageQuery,
  kind: z.enum(['article', 'banner', 'service'], { error: '资讯类型无效' }).optional(),
});
export const tokenParam = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '图片地址无效') });
