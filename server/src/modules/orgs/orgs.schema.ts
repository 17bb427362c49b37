import { z } from 'zod';
import { dateField, idField, versionField } from '../../platform/fields.js';
import type { OrgType } from '../../db/schema.js';
import { isDivisionCode, isValidCreditCode, normaliseWidth } from '../../platform/validators.js';
import { pageQuery } from '../../platform/pagination.js';

export const ORG_TYPES: Record<OrgType, string> = {
  city: '市总工会',
  county: '县(市、区)总工会',
  town: '镇街/园区工会',
  village: '村(社区)工会',
  grassroots: '基层工会',
  industry_federation: '行业工会联合会',
  joint_grassroots: '联合基层工会',
};

export const ORG_STATUSES = { active: '正常', dissolved: '已撤销' } as const;

/**
 * The unions a worker joins (decision 009): grassroots-level ones — an enterprise's 基层工会, a
 * 联合基层工会, a 村(社区)工会, and a 行业工会联合会 (the 新工联 admits the trade's scattered
 * workers directly). 市总、县总 and 镇街/园区 unions lead the unions below them and take no members
 * through the H5, a campaign QR or a partner.
 */
export const MEMBER_UNION_TYPES: readonly OrgType[] = ['grassroots', 'joint_grassroots', 'village', 'industry_federation'];
export const acceptsMembers = (type: OrgType) => MEMBER_UNION_TYPES.includes(type);

/** Which node types may sit directly under which. */
export const ALLOWED_PARENTS: Record<OrgType, OrgType[]> = {
  city: [],
  county: ['city'],
  town: ['county'],
  village: ['town'],
  industry_federation: ['city', 'county', 'town'],
  grassroots: ['city', 'county', 'town', 'village', 'industry_federation'],
  joint_grassroots: ['county', 'town', 'village', 'industry_federation'],
};

const orgTypeEnum = z.enum(Object.keys(ORG_TYPES) as [OrgType, ...OrgType[]], { error: '组织类型无效' });

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文本` })
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish()
    .transform((v) => (v ? v : null));

const fields = {
  name: z.string({ error: '请填写组织名称' }).trim().min(2, '组织名称至少 2 个字').max(100, '组织名称不能超过 100 个字'),
  creditCode: z
    .string()
    .nullish()
    .transform((v) => (v ? normaliseWidth(v).toUpperCase() : null))
    .refine((v) => v === null || isValidCreditCode(v), '统一社会信用代码无效（应为 18 位且校验位正确）'),
  divisionCode: z
    .string()
    .nullish()
    .transform((v) => (v ? normaliseWidth(v) : null))
    .refine((v) => v === null || isDivisionCode(v), '行政区划代码应为 6、9 或 12 位数字'),
  address: optionalText('地址', 200),
  longitude: z
    .number({ error: '经度应为数字' })
    .min(-180, '经度超出范围')
    .max(180, '经度超出范围')
    .nullish()
    .transform((v) => v ?? null),
  latitude: z
    .number({ error: '纬度应为数字' })
    .min(-90, '纬度超出范围')
    .max(90, '纬度超出范围')
    .nullish()
    .transform((v) => v ?? null),
  foundedOn: dateField('成立日期')
    .nullish()
    .transform((v) => v ?? null),
  chairName: optionalText('工会主席姓名', 50),
};

const id = idField('组织');
const version = versionField();

export const createOrgBody = z.strictObject({ parentId: id, type: orgTypeEnum, ...fields });
export const updateOrgBody = z.strictObject({
  version,
  name: fields.name.optional(),
  creditCode: fields.creditCode.optional(),
  divisionCode: fields.divisionCode.optional(),
  address: fields.address.optional(),
  longitude: fields.longitude.optional(),
  latitude: fields.latitude.optional(),
  foundedOn: fields.foundedOn.optional(),
  chairName: fields.chairName.optional(),
});
export const moveOrgBody = z.strictObject({ newParentId: id, version });
export const dissolveOrgBody = z.strictObject({
  version,
  reason: z.string({ error: '请填写撤销原因' }).trim().min(2, '请填写撤销原因').max(500, '撤销原因不能超过 500 个字'),
});
export const childrenQuery = z.strictObject({ parentId: id.optional() });
export const searchQuery = z.strictObject({
  q: z.string().trim().max(50, '关键词不能超过 50 个字').default(''),
  type: orgTypeEnum.optional(),
  status: z.enum(['active', 'dissolved']).optional(),
  ...pageQuery,
});

export type CreateOrgInput = z.infer<typeof createOrgBody>;
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;

export const orgNode = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  type: orgTypeEnum,
  typeLabel: z.string(),
  status: z.enum(['active', 'dissolved']),
  divisionCode: z.string().nullable(),
  childCount: z.number().int(),
});

export const orgDetail = orgNode.extend({
  statusLabel: z.string(),
  creditCode: z.string().nullable(),
  address: z.string().nullable(),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
  foundedOn: z.string().nullable(),
  chairName: z.string().nullable(),
  ancestors: z.array(z.object({ id: z.string(), name: z.string() })),
  descendantCount: z.number().int(),
  dissolvedAt: z.string().nullable(),
  dissolveReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const orgDictionary = z.object({
  types: z.array(z.object({ value: z.string(), label: z.string() })),
  statuses: z.array(z.object({ value: z.string(), label: z.string() })),
  allowedParents: z.record(z.string(), z.array(z.string())),
});

export type OrgNodeDto = z.infer<typeof orgNode>;
export type OrgDetailDto = z.infer<typeof orgDetail>;
