import { z } from 'zod';
import type { App, StaffActor } from '../../platform/context.js';
import { idParam, pageQuery } from '../../platform/pagination.js';
import { dateField, idField, versionField } from '../../platform/fields.js';
import type { MembersService } from './members.service.js';
import { employmentFormEnum, memberStatusEnum } from './members.schema.js';
import { addMemberBody, correctIdentityBody, editMemberBody, transferMemberBody } from './members.edit.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const day = dateField();
const orgId = idField('组织');

export const rollQuery = z.strictObject({
  q: z.string().trim().max(30, '关键词不能超过 30 个字').optional(),
  status: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : undefined))
    .pipe(z.array(memberStatusEnum, { error: '会籍状态无效' }).optional()),
  employmentForm: employmentFormEnum.optional(),
  joinedFrom: day.optional(),
  joinedTo: day.optional(),
  isMigrantWorker: boolQuery.optional(),
  isModelWorker: boolQuery.optional(),
  orgId: orgId.optional(),
  sort: z.enum(['joined_desc', 'joined_asc', 'name']).optional(),
  ...pageQuery,
});

export function membersRoutes(app: App, { members }: { members: MembersService }) {
  app.get(
    '/api/members',
    {
      config: { access: 'member:read' },
      schema: { tags: ['members'], summary: '会员名册（姓名、拼音首字母或全拼、完整手机号、完整身份证号、证件号或手机号后四位查找）', querystring: rollQuery },
    },
    async (req) => members.list(staff(req), req.query),
  );

  app.get(
    '/api/members/:id',
    { config: { access: 'member:read' }, schema: { tags: ['members'], summary: '会员详情与会籍时间线', params: idParam } },
    async (req) => members.get(staff(req), req.params.id),
  );

  app.post(
    '/api/members/:id/reveal',
    {
      config: { access: 'member:reveal' },
      schema: {
        tags: ['members'],
        summary: '查看完整敏感信息（须说明事由，留痕）',
        params: idParam,
        body: z.strictObject({
          field: z.enum(['idNumber', 'phone', 'emergencyContactPhone'], { error: '字段无效' }),
          reason: z.string({ error: '请说明查看事由' }).trim().min(2, '请说明查看事由').max(200),
        }),
      },
    },
    async (req) => members.reveal(staff(req), req.meta, req.params.id, req.body.field, req.body.reason),
  );

  app.post(
    '/api/members/:id/status',
    {
      config: { access: 'member:write' },
      schema: {
        tags: ['members'],
        summary: '办理保留会籍、恢复、退会',
        params: idParam,
        body: z.strictObject({
          action: z.enum(['retain', 'restore', 'leave'], { error: '办理事项无效' }),
          reason: z.string({ error: '请填写原因' }).trim().min(2, '请填写原因').max(200),
          version: versionField(),
        }),
      },
    },
    async (req) => members.changeStatus(staff(req), req.meta, req.params.id, req.body),
  );

  // ---- one-member edits from the console (members.edit.ts) ----
  app.post(
    '/api/members',
    { config: { access: 'member:write' }, schema: { tags: ['members'], summary: '新增一名会员（本级及下级工会）', body: addMemberBody } },
    async (req) => members.edits.addOne(staff(req), req.meta, req.body),
  );

  app.patch(
    '/api/members/:id',
    {
      config: { access: 'member:write' },
      schema: { tags: ['members'], summary: '修改会员联系方式与工作信息（带版本号）', params: idParam, body: editMemberBody },
    },
    async (req) => members.edits.editOne(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/members/:id/identity',
    {
      config: { access: 'member:write' },
      schema: { tags: ['members'], summary: '更正姓名或证件号码（须填写原因与核验的证明材料，留痕）', params: idParam, body: correctIdentityBody },
    },
    async (req) => members.edits.correctIdentity(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/members/:id/transfer',
    {
      config: { access: 'member:write' },
      schema: { tags: ['members'], summary: '会籍转接到本辖区内的另一工会（带版本号）', params: idParam, body: transferMemberBody },
    },
    async (req) => members.edits.transferOne(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/orgs/:id/member-figures',
    { config: { access: 'member:read' }, schema: { tags: ['members'], summary: '组织（含下级）的会员数据', params: idParam } },
    async (req) => members.figures(staff(req), req.params.id),
  );
}
