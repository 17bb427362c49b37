import type { App, StaffActor } from '../../platform/context.js';
import { idParam, pageOf } from '../../platform/pagination.js';
import type { OrgsService } from './orgs.service.js';
import { z } from 'zod';
import { childrenQuery, createOrgBody, dissolveOrgBody, moveOrgBody, orgDetail, orgDictionary, orgNode, searchQuery, updateOrgBody } from './orgs.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export function orgsRoutes(app: App, { orgs }: { orgs: OrgsService }) {
  app.get(
    '/api/orgs/dictionary',
    { config: { access: 'org:read' }, schema: { tags: ['orgs'], summary: '组织类型与状态字典', response: { 200: orgDictionary } } },
    async () => orgs.dictionary(),
  );

  app.get(
    '/api/orgs/children',
    {
      config: { access: 'org:read' },
      schema: {
        tags: ['orgs'],
        summary: '下级组织（树的懒加载）；不带 parentId 时返回本级组织',
        querystring: childrenQuery,
        response: { 200: z.object({ items: z.array(orgNode) }) },
      },
    },
    async (req) => ({ items: req.query.parentId ? await orgs.children(staff(req), req.query.parentId) : await orgs.ownRoot(staff(req)) }),
  );

  app.get(
    '/api/orgs/search',
    {
      config: { access: 'org:read' },
      schema: {
        tags: ['orgs'],
        summary: '按名称、信用代码或区划代码查找组织',
        querystring: searchQuery,
        response: { 200: pageOf(orgNode.extend({ pathNames: z.array(z.string()) })) },
      },
    },
    async (req) => orgs.search(staff(req), req.query),
  );

  app.get(
    '/api/orgs/:id',
    { config: { access: 'org:read' }, schema: { tags: ['orgs'], summary: '组织详情', params: idParam, response: { 200: orgDetail } } },
    async (req) => orgs.get(staff(req), req.params.id),
  );

  app.post(
    '/api/orgs',
    { config: { access: 'org:write' }, schema: { tags: ['orgs'], summary: '新建组织', body: createOrgBody, response: { 200: orgDetail } } },
    async (req) => orgs.create(staff(req), req.meta, req.body),
  );

  app.patch(
    '/api/orgs/:id',
    {
      config: { access: 'org:write' },
      schema: { tags: ['orgs'], summary: '修改组织信息', params: idParam, body: updateOrgBody, response: { 200: orgDetail } },
    },
    async (req) => orgs.update(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/orgs/:id/move',
    {
      config: { access: 'org:write' },
      schema: { tags: ['orgs'], summary: '移动组织（连同全部下级）', params: idParam, body: moveOrgBody, response: { 200: orgDetail } },
    },
    async (req) => orgs.move(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/orgs/:id/dissolve',
    {
      config: { access: 'org:dissolve' },
      schema: { tags: ['orgs'], summary: '撤销组织', params: idParam, body: dissolveOrgBody, response: { 200: orgDetail } },
    },
    async (req) => orgs.dissolve(staff(req), req.meta, req.params.id, req.body),
  );
}
