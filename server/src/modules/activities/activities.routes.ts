import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import { sendXlsx } from '../../platform/download.js';
import { XLSX_TYPE } from '../../platform/spreadsheet.js';
import type { ActivitiesService } from './activities.service.js';
import {
  attendanceBody,
  cancelActivityBody,
  createActivityBody,
  dictionary,
  drawBody,
  enrollBody,
  enrollmentsQuery,
  figuresQuery,
  listActivitiesQuery,
  reviewBody,
  rosterQuery,
  updateActivityBody,
  versionBody,
  workerListQuery,
} from './activities.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const tags = ['activities'];

export function activitiesRoutes(app: App, s: ActivitiesService) {
  // ---------------- worker (H5) ----------------
  app.get(
    '/api/worker/activities',
    { config: { access: 'worker' }, schema: { tags, summary: '可参加的活动（本工会及上级工会发布、符合条件的）', querystring: workerListQuery } },
    async (req) => s.openToWorker(worker(req), req.query),
  );

  app.get(
    '/api/worker/activities/:id',
    { config: { access: 'worker' }, schema: { tags, summary: '活动详情（含服务器时间与报名倒计时）', params: idParam } },
    async (req) => s.workerDetail(worker(req), req.params.id),
  );

  app.post(
    '/api/worker/activities/:id/enroll',
    { config: { access: 'worker' }, schema: { tags, summary: '报名（先到先得 / 抽签 / 审核），名额满时进入候补', params: idParam, body: enrollBody } },
    async (req) => s.enroll(worker(req), req.meta, req.params.id, req.body),
  );

  app.get('/api/worker/activity-enrollments', { config: { access: 'worker' }, schema: { tags, summary: '我的活动报名' } }, async (req) => s.mine(worker(req)));

  app.get(
    '/api/worker/activity-enrollments/:id',
    { config: { access: 'worker' }, schema: { tags, summary: '我的一条活动报名', params: idParam } },
    async (req) => s.mineOne(worker(req), req.params.id),
  );

  app.post(
    '/api/worker/activity-enrollments/:id/cancel',
    { config: { access: 'worker' }, schema: { tags, summary: '取消报名（取消截止前）；空出的名额自动递补候补第一位', params: idParam } },
    async (req) => s.cancel(worker(req), req.meta, req.params.id),
  );

  // ---------------- public: re-running a draw ----------------
  app.get(
    '/api/public/activities/:id/lottery',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: { tags, summary: '抽签公示：种子、候选名单、算法与结果，可据此复算', params: idParam },
    },
    async (req) => s.publicLottery(req.params.id),
  );

  app.get(
    '/api/public/activities/:id/lottery/verify',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: { tags, summary: '服务器按公示的种子复算抽签并比对结果', params: idParam },
    },
    async (req) => s.verifyLottery(req.params.id),
  );

  // ---------------- staff ----------------
  app.get('/api/activities/dictionary', { config: { access: 'staff' }, schema: { tags, summary: '活动字典（类型、状态、报名方式、报名状态）' } }, async () =>
    dictionary(),
  );

  app.get(
    '/api/activities',
    { config: { access: 'activity:read' }, schema: { tags, summary: '活动列表（本级及下级工会）', querystring: listActivitiesQuery } },
    async (req) => s.list(staff(req), req.query),
  );

  app.post('/api/activities', { config: { access: 'activity:manage' }, schema: { tags, summary: '创建活动（草稿）', body: createActivityBody } }, async (req) =>
    s.create(staff(req), req.meta, req.body),
  );

  app.get('/api/activities/:id', { config: { access: 'activity:read' }, schema: { tags, summary: '活动详情', params: idParam } }, async (req) =>
    s.get(staff(req), req.params.id),
  );

  app.patch(
    '/api/activities/:id',
    { config: { access: 'activity:manage' }, schema: { tags, summary: '修改活动（带版本号）', params: idParam, body: updateActivityBody } },
    async (req) => s.update(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/activities/:id/publish',
    { config: { access: 'activity:manage' }, schema: { tags, summary: '发布活动', params: idParam, body: versionBody } },
    async (req) => s.transition(staff(req), req.meta, req.params.id, 'published', req.body),
  );

  app.post(
    '/api/activities/:id/close',
    { config: { access: 'activity:manage' }, schema: { tags, summary: '结束活动', params: idParam, body: versionBody } },
    async (req) => s.transition(staff(req), req.meta, req.params.id, 'closed', req.body),
  );

  app.post(
    '/api/activities/:id/cancel',
    { config: { access: 'activity:manage' }, schema: { tags, summary: '取消活动（已报名的一并取消并通知）', params: idParam, body: cancelActivityBody } },
    async (req) => s.transition(staff(req), req.meta, req.params.id, 'cancelled', req.body),
  );

  app.post(
    '/api/activities/:id/draw',
    { config: { access: 'activity:operate' }, schema: { tags, summary: '抽签（报名截止后，一次；种子公示）', params: idParam, body: drawBody } },
    async (req) => s.draw(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/activities/:id/enrollments',
    { config: { access: 'activity:read' }, schema: { tags, summary: '报名名单（筛选、分页）', params: idParam, querystring: enrollmentsQuery } },
    async (req) => s.enrollments(staff(req), req.params.id, req.query),
  );

  app.get(
    '/api/activities/:id/roster.xlsx',
    { config: { access: 'activity:operate' }, schema: { tags, summary: '导出报名名单（脱敏，.xlsx，留痕）', params: idParam, querystring: rosterQuery } },
    async (req, reply) => {
      const out = await s.roster(staff(req), req.meta, req.params.id, req.query);
      return sendXlsx(reply, out);
    },
  );

  app.get(
    '/api/activities/:id/cost-report',
    { config: { access: 'activity:read' }, schema: { tags, summary: '费用报表：预算与各批次支出', params: idParam } },
    async (req) => s.costReport(staff(req), req.params.id),
  );

  app.post(
    '/api/activity-enrollments/:id/review',
    { config: { access: 'activity:operate' }, schema: { tags, summary: '审核报名（通过 / 不通过）', params: idParam, body: reviewBody } },
    async (req) => s.review(staff(req), req.meta, req.params.id, req.body),
  );

  app.post(
    '/api/activity-enrollments/:id/attendance',
    { config: { access: 'activity:operate' }, schema: { tags, summary: '登记到场 / 未到场', params: idParam, body: attendanceBody } },
    async (req) => s.attendance(staff(req), req.meta, req.params.id, req.body),
  );

  app.get(
    '/api/orgs/:id/activity-figures',
    {
      config: { access: 'activity:read' },
      schema: { tags, summary: '活动统计（本工会及下级）：按类型、按活动的参加人数、名额、候补、预算', params: idParam, querystring: figuresQuery },
    },
    async (req) => s.figures(staff(req), req.params.id, req.query),
  );
}
