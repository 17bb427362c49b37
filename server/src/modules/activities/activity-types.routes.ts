// Routes of the activity types. Each type's plugin registers its own (activity-types.ts); the core
// hands them `ActivitiesCore` (scoped activity lookup, the worker's membership and enrollment).
// Staff routes need activity:operate and answer 404 outside the caller's subtree; worker routes see
// the worker's own records only.
import { publicBase } from '../../platform/public-url.js';
import { sendDownload } from '../../platform/download.js';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { dateField, idField } from '../../platform/fields.js';
import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { fileUploadScope } from '../../platform/upload.js';
import type { ActivitiesCore } from './activities.plugins.js';
import { attendanceBody, createChildcareService } from './activities.childcare.js';
import { certificatesBody, createContestService, roundBody, scoresBody } from './activities.contest.js';
import { createQuizService, questionTemplate, submitBody } from './activities.quiz.js';
import { checkinBody, createTrainingService, sessionBody } from './activities.training.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const idText = idField();
const roundParams = z.strictObject({ id: idText, roundId: idText });
const sessionParams = z.strictObject({ id: idText, sessionId: idText });
const dayQuery = z.strictObject({ day: dateField('日期', '请选择日期') });
const UPLOAD_LIMIT = 5 * 1024 * 1024;

const OPERATE = { access: 'activity:operate' } as const;
const WORKER = { access: 'worker' } as const;

type FileOut = { body: Buffer; contentType: string; fileName: string };
const sendFile = (reply: FastifyReply, ascii: string, file: FileOut) => sendDownload(reply, { ...file, asciiName: ascii });
// Links on certificates and check-in QR codes leave the system: PUBLIC_BASE_URL when configured.
const origin = (core: ActivitiesCore, req: { protocol: string; host: string }) => publicBase(core.ctx.config, req);

export function childcareRoutes(app: App, core: ActivitiesCore) {
  const svc = createChildcareService(core);
  const tags = ['activity-types'];
  app.get(
    '/api/activities/:id/childcare/children',
    { config: OPERATE, schema: { tags, summary: '暑托班：本活动的孩子（班级、监护人、出勤率）', params: idParam } },
    async (req) => svc.children(staff(req), req.params.id),
  );
  app.post(
    '/api/activities/:id/childcare/attendance',
    { config: OPERATE, schema: { tags, summary: '暑托班：记录某日出勤（同日再次提交则覆盖）', params: idParam, body: attendanceBody } },
    async (req) => svc.recordAttendance(staff(req), req.meta, req.params.id, req.body),
  );
  app.get(
    '/api/activities/:id/childcare/attendance',
    { config: OPERATE, schema: { tags, summary: '暑托班：某日出勤', params: idParam, querystring: dayQuery } },
    async (req) => svc.attendanceOfDay(staff(req), req.params.id, req.query.day),
  );
}

export function contestRoutes(app: App, core: ActivitiesCore) {
  const svc = createContestService(core);
  const tags = ['activity-types'];
  app.get('/api/activities/:id/contest/rounds', { config: OPERATE, schema: { tags, summary: '技能竞赛：轮次', params: idParam } }, async (req) =>
    svc.rounds(staff(req), req.params.id),
  );
  app.post(
    '/api/activities/:id/contest/rounds',
    { config: OPERATE, schema: { tags, summary: '技能竞赛：新增轮次', params: idParam, body: roundBody } },
    async (req) => svc.addRound(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/activities/:id/contest/rounds/:roundId/scores',
    { config: OPERATE, schema: { tags, summary: '技能竞赛：录入本轮成绩', params: roundParams, body: scoresBody } },
    async (req) => svc.enterScores(staff(req), req.meta, req.params.id, req.params.roundId, req.body),
  );
  fileUploadScope(
    app,
    (scope) => {
      scope.post(
        '/api/activities/:id/contest/rounds/:roundId/scores/import',
        {
          config: OPERATE,
          bodyLimit: UPLOAD_LIMIT,
          schema: { tags, summary: '技能竞赛：导入本轮成绩（请求体为 .xlsx，列：报名编号、成绩；有错误行则不保存）', params: roundParams },
        },
        async (req) => svc.importScores(staff(req), req.meta, req.params.id, req.params.roundId, req.body as Buffer),
      );
    },
    UPLOAD_LIMIT,
  );
  app.get(
    '/api/activities/:id/contest/rounds/:roundId/scores/template.xlsx',
    { config: OPERATE, schema: { tags, summary: '技能竞赛：本轮成绩录入表（参赛者名单，.xlsx；填写后导入）', params: roundParams } },
    async (req, reply) => sendFile(reply, 'scores.xlsx', await svc.scoreSheet(staff(req), req.meta, req.params.id, req.params.roundId)),
  );
  app.get(
    '/api/activities/:id/contest/rankings',
    { config: OPERATE, schema: { tags, summary: '技能竞赛：排名（总分，同分同名次）', params: idParam } },
    async (req) => svc.rankings(staff(req), req.params.id),
  );
  app.post(
    '/api/activities/:id/certificates',
    { config: OPERATE, schema: { tags, summary: '技能竞赛：颁发证书', params: idParam, body: certificatesBody } },
    async (req) => svc.issueCertificates(staff(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/activities/:id/certificates', { config: OPERATE, schema: { tags, summary: '技能竞赛：已颁发的证书', params: idParam } }, async (req) =>
    svc.certificates(staff(req), req.params.id),
  );
  for (const format of ['docx', 'pdf'] as const) {
    app.get(
      `/api/activity-certificates/:id/certificate.${format}`,
      { config: OPERATE, schema: { tags, summary: `证书文件（${format === 'docx' ? 'Word' : 'PDF'}，含核验二维码）`, params: idParam } },
      async (req, reply) => sendFile(reply, `certificate.${format}`, await svc.staffCertificateFile(staff(req), req.params.id, format, origin(core, req))),
    );
    app.get(
      `/api/worker/activity-certificates/:id/certificate.${format}`,
      { config: WORKER, schema: { tags, summary: `我的证书文件（${format === 'docx' ? 'Word' : 'PDF'}）`, params: idParam } },
      async (req, reply) =>
        sendFile(reply, `certificate.${format}`, await svc.workerCertificateFile(worker(req).workerId, req.params.id, format, origin(core, req))),
    );
  }
  app.get('/api/worker/activity-certificates', { config: WORKER, schema: { tags, summary: '我的证书' } }, async (req) =>
    svc.workerCertificates(worker(req).workerId),
  );
  app.get(
    '/api/public/activity-certificates/verify',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: '证书核验（扫码）：只返回脱敏姓名、活动、奖项和日期',
        querystring: z.strictObject({ code: z.string({ error: '缺少证书编号' }).max(64, '证书编号无效') }),
      },
    },
    async (req) => svc.verify(req.query.code),
  );
}

export function trainingRoutes(app: App, core: ActivitiesCore) {
  const svc = createTrainingService(core);
  const tags = ['activity-types'];
  app.get('/api/activities/:id/training/sessions', { config: OPERATE, schema: { tags, summary: '培训/宣讲：场次与签到人数', params: idParam } }, async (req) =>
    svc.sessions(staff(req), req.params.id),
  );
  app.post(
    '/api/activities/:id/training/sessions',
    { config: OPERATE, schema: { tags, summary: '培训/宣讲：新增场次', params: idParam, body: sessionBody } },
    async (req) => svc.addSession(staff(req), req.meta, req.params.id, req.body),
  );
  app.get(
    '/api/activities/:id/training/sessions/:sessionId/qr',
    { config: OPERATE, schema: { tags, summary: '培训/宣讲：场次签到二维码（场次结束 30 分钟后失效）', params: sessionParams } },
    async (req) => svc.sessionQr(staff(req), req.params.id, req.params.sessionId, origin(core, req)),
  );
  app.get(
    '/api/activities/:id/training/sessions/:sessionId/attendance',
    { config: OPERATE, schema: { tags, summary: '培训/宣讲：场次签到名单', params: sessionParams } },
    async (req) => svc.sessionAttendance(staff(req), req.params.id, req.params.sessionId),
  );
  app.post('/api/worker/activity-checkin', { config: WORKER, schema: { tags, summary: '扫码签到（培训/宣讲场次）', body: checkinBody } }, async (req) =>
    svc.checkin(worker(req), req.meta, req.body.t),
  );
}

export function quizRoutes(app: App, core: ActivitiesCore) {
  const svc = createQuizService(core);
  const tags = ['activity-types'];
  fileUploadScope(
    app,
    (scope) => {
      scope.post(
        '/api/activities/:id/quiz/questions/import',
        {
          config: OPERATE,
          bodyLimit: UPLOAD_LIMIT,
          schema: {
            tags,
            summary: '知识竞赛：导入题库（请求体为 .xlsx，列：题目、类型、选项A–D、答案、分值；有错误行则不导入）',
            params: idParam,
          },
        },
        async (req) => svc.importQuestions(staff(req), req.meta, req.params.id, req.body as Buffer),
      );
    },
    UPLOAD_LIMIT,
  );
  app.get(
    '/api/activity-types/quiz/template.xlsx',
    { config: OPERATE, schema: { tags, summary: '知识竞赛：题库模板（.xlsx，含填写说明）' } },
    async (_req, reply) => sendFile(reply, 'quiz-template.xlsx', await questionTemplate()),
  );
  app.get(
    '/api/activities/:id/quiz/questions',
    { config: OPERATE, schema: { tags, summary: '知识竞赛：题库（含答案，仅工作人员）', params: idParam } },
    async (req) => svc.questions(staff(req), req.params.id),
  );
  app.get(
    '/api/activities/:id/quiz/results',
    { config: OPERATE, schema: { tags, summary: '知识竞赛：答题结果（活动公布排名时带名次）', params: idParam } },
    async (req) => svc.results(staff(req), req.params.id),
  );
  app.post(
    '/api/worker/activities/:id/quiz/start',
    { config: WORKER, schema: { tags, summary: '开始答题（每人一次；返回题目不含答案，截止时间以服务器为准）', params: idParam } },
    async (req) => svc.start(worker(req), req.meta, req.params.id),
  );
  app.post(
    '/api/worker/activities/:id/quiz/submit',
    { config: WORKER, schema: { tags, summary: '交卷（服务器评分；超时提交不计分）', params: idParam, body: submitBody } },
    async (req) => svc.submit(worker(req), req.meta, req.params.id, req.body),
  );
  app.get('/api/worker/activities/:id/quiz/result', { config: WORKER, schema: { tags, summary: '我的答题结果', params: idParam } }, async (req) =>
    svc.result(worker(req), req.params.id),
  );
  app.get(
    '/api/worker/activities/:id/quiz/ranking',
    { config: WORKER, schema: { tags, summary: '排名（仅活动公布排名时；姓名脱敏）', params: idParam } },
    async (req) => svc.ranking(worker(req), req.params.id),
  );
}
