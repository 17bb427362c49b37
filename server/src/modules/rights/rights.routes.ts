// 维权 staff routes: access → schema → one service call.
import type { FastifyReply } from 'fastify';
import type { App, StaffActor } from '../../platform/context.js';
import { sendDownload } from '../../platform/download.js';
import { idParam } from '../../platform/pagination.js';
import type { RightsService } from './rights.service.js';
import {
  answerBody,
  callbackBody,
  caseBody,
  casesQuery,
  closeCaseBody,
  consultationBody,
  consultationsQuery,
  dispatchBody,
  escalateBody,
  figuresQuery,
  legalAidCaseBody,
  letterAnswerBody,
  letterBody,
  letterReplyBody,
  lettersQuery,
  mediatorsBody,
  partyParams,
  poolBody,
  poolPatch,
  poolQuery,
  revealBody,
  sessionBody,
  stageBody,
  ticketAnswerBody,
  ticketBody,
  ticketCallbackBody,
  ticketCloseBody,
  ticketsQuery,
  toCaseBody,
} from './rights.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['rights'];
const READ = { access: 'rights:read' } as const;
const WRITE = { access: 'rights:write' } as const;
const MANAGE = { access: 'rights:manage' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const docx = (reply: FastifyReply, f: { body: Buffer; fileName: string; asciiName: string }) =>
  sendDownload(reply, { body: f.body, contentType: DOCX, fileName: f.fileName, asciiName: f.asciiName });

export function rightsRoutes(app: App, s: RightsService) {
  app.get('/api/rights/dictionaries', { config: { access: 'staff' }, schema: { tags, summary: '维权字典（渠道、类别、状态）' } }, async () => s.dictionaries());
  app.get('/api/rights/figures', { config: READ, schema: { tags, summary: '维权统计（本级及下级、按期间）', querystring: figuresQuery } }, async (req) =>
    s.figures.figures(staff(req), req.query),
  );

  // ---------- 咨询台账 ----------
  app.get('/api/rights/consultations', { config: READ, schema: { tags, summary: '咨询台账', querystring: consultationsQuery } }, async (req) =>
    s.consultations.list(staff(req), req.query),
  );
  app.post('/api/rights/consultations', { config: WRITE, schema: { tags, summary: '登记咨询', body: consultationBody } }, async (req) =>
    s.consultations.create(staff(req), req.meta, req.body),
  );
  app.get('/api/rights/consultations/:id', { config: READ, schema: { tags, summary: '咨询详情与对话（留痕）', params: idParam } }, async (req) =>
    s.consultations.get(staff(req), req.meta, req.params.id),
  );
  app.post('/api/rights/consultations/:id/answer', { config: WRITE, schema: { tags, summary: '答复咨询', params: idParam, body: answerBody } }, async (req) =>
    s.consultations.answer(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/consultations/:id/callback',
    { config: WRITE, schema: { tags, summary: '咨询回访', params: idParam, body: callbackBody } },
    async (req) => s.consultations.callback(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/consultations/:id/case',
    { config: WRITE, schema: { tags, summary: '咨询转调解案件', params: idParam, body: toCaseBody } },
    async (req) => s.cases.fromConsultation(staff(req), req.meta, req.params.id, req.body),
  );

  // ---------- 调解 / 法律援助案件 ----------
  app.get('/api/rights/cases', { config: READ, schema: { tags, summary: '调解与法律援助案件', querystring: casesQuery } }, async (req) =>
    s.cases.list(staff(req), req.query),
  );
  app.post('/api/rights/cases', { config: WRITE, schema: { tags, summary: '直接受理调解案件', body: caseBody } }, async (req) =>
    s.cases.create(staff(req), req.meta, req.body),
  );
  app.post(
    '/api/rights/cases/legal-aid',
    { config: WRITE, schema: { tags, summary: '法律援助立案（由已批准的申请或直接）', body: legalAidCaseBody } },
    async (req) => s.cases.openLegalAid(staff(req), req.meta, req.body),
  );
  app.get('/api/rights/cases/:id', { config: READ, schema: { tags, summary: '案件详情（留痕）', params: idParam } }, async (req) =>
    s.cases.get(staff(req), req.meta, req.params.id),
  );
  app.post('/api/rights/cases/:id/sessions', { config: WRITE, schema: { tags, summary: '登记调解', params: idParam, body: sessionBody } }, async (req) =>
    s.cases.addSession(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/cases/:id/mediators',
    { config: WRITE, schema: { tags, summary: '选派调解员/律师', params: idParam, body: mediatorsBody } },
    async (req) => s.cases.addMediators(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/cases/:id/stage', { config: WRITE, schema: { tags, summary: '法律援助阶段', params: idParam, body: stageBody } }, async (req) =>
    s.cases.setStage(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/cases/:id/close', { config: WRITE, schema: { tags, summary: '结案', params: idParam, body: closeCaseBody } }, async (req) =>
    s.cases.close(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/rights/cases/:id/agreement.docx', { config: READ, schema: { tags, summary: '调解协议书（.docx）', params: idParam } }, async (req, reply) =>
    docx(reply, await s.cases.agreement(staff(req), req.meta, req.params.id)),
  );
  app.post(
    '/api/rights/cases/:id/parties/:partyId/reveal',
    {
      config: { access: 'member:reveal' },
      schema: { tags, summary: '查看当事人完整身份证号或手机号（须说明事由，留痕）', params: partyParams, body: revealBody },
    },
    async (req) => s.cases.reveal(staff(req), req.meta, req.params.id, req.params.partyId, req.body.field, req.body.reason),
  );

  // ---------- 调解员与专家库 ----------
  app.get('/api/rights/pool', { config: READ, schema: { tags, summary: '调解员与专家库（本级、上级与下级）', querystring: poolQuery } }, async (req) =>
    s.pool.list(staff(req), req.query),
  );
  app.post('/api/rights/pool', { config: MANAGE, schema: { tags, summary: '加入调解员与专家库', body: poolBody } }, async (req) =>
    s.pool.add(staff(req), req.meta, req.body),
  );
  app.patch('/api/rights/pool/:id', { config: MANAGE, schema: { tags, summary: '设置是否可选派', params: idParam, body: poolPatch } }, async (req) =>
    s.pool.setAvailable(staff(req), req.meta, req.params.id, req.body.available),
  );

  // ---------- 一函两书 ----------
  app.get('/api/rights/letters', { config: READ, schema: { tags, summary: '一函两书', querystring: lettersQuery } }, async (req) =>
    s.letters.list(staff(req), req.query),
  );
  app.post('/api/rights/letters', { config: WRITE, schema: { tags, summary: '发出提示函或意见书', body: letterBody } }, async (req) =>
    s.letters.issue(staff(req), req.meta, req.body),
  );
  app.get('/api/rights/letters/:id', { config: READ, schema: { tags, summary: '文书详情与预览', params: idParam } }, async (req) =>
    s.letters.get(staff(req), req.params.id),
  );
  app.get('/api/rights/letters/:id/docx', { config: READ, schema: { tags, summary: '文书（.docx，GB/T 9704 版式）', params: idParam } }, async (req, reply) =>
    docx(reply, await s.letters.docx(staff(req), req.meta, req.params.id)),
  );
  app.post(
    '/api/rights/letters/:id/reply',
    { config: WRITE, schema: { tags, summary: '登记用人单位回复与整改', params: idParam, body: letterReplyBody } },
    async (req) => s.letters.reply(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/letters/:id/escalate',
    { config: MANAGE, schema: { tags, summary: '提请建议书（县级以上工会）', params: idParam, body: escalateBody } },
    async (req) => s.letters.escalate(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/rights/letters/:id/answer',
    { config: WRITE, schema: { tags, summary: '登记建议书的答复', params: idParam, body: letterAnswerBody } },
    async (req) => s.letters.answer(staff(req), req.meta, req.params.id, req.body),
  );

  // ---------- 12351 诉求工单 ----------
  app.get('/api/rights/tickets', { config: READ, schema: { tags, summary: '诉求工单', querystring: ticketsQuery } }, async (req) =>
    s.tickets.list(staff(req), req.query),
  );
  app.post('/api/rights/tickets', { config: MANAGE, schema: { tags, summary: '受理诉求工单', body: ticketBody } }, async (req) =>
    s.tickets.create(staff(req), req.meta, req.body),
  );
  app.get('/api/rights/tickets/:id', { config: READ, schema: { tags, summary: '工单详情与流转', params: idParam } }, async (req) =>
    s.tickets.get(staff(req), req.params.id),
  );
  app.post(
    '/api/rights/tickets/:id/dispatch',
    { config: WRITE, schema: { tags, summary: '派单（下级工会，工作日时限）', params: idParam, body: dispatchBody } },
    async (req) => s.tickets.dispatch(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/tickets/:id/answer', { config: WRITE, schema: { tags, summary: '办结反馈', params: idParam, body: ticketAnswerBody } }, async (req) =>
    s.tickets.answer(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/tickets/:id/callback', { config: WRITE, schema: { tags, summary: '回访', params: idParam, body: ticketCallbackBody } }, async (req) =>
    s.tickets.callback(staff(req), req.meta, req.params.id, req.body),
  );
  app.post('/api/rights/tickets/:id/close', { config: WRITE, schema: { tags, summary: '关闭工单', params: idParam, body: ticketCloseBody } }, async (req) =>
    s.tickets.close(staff(req), req.meta, req.params.id, req.body),
  );
}
