// 维权 on the worker's H5: 在线咨询 (ask, read the thread, follow up).
import type { App, WorkerActor } from '../../platform/context.js';
import { idParam } from '../../platform/pagination.js';
import type { RightsService } from './rights.service.js';
import { workerConsultationBody, workerFollowUpBody } from './rights.schema.js';

const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const tags = ['rights'];
const WORKER = { access: 'worker' } as const;
const LIMITED = { access: 'worker', rateLimit: { max: 20, timeWindow: 60_000 } } as const;

export function rightsWorkerRoutes(app: App, s: RightsService) {
  app.get('/api/worker/rights/consultations', { config: WORKER, schema: { tags, summary: '我的咨询' } }, async (req) =>
    s.consultations.workerList(worker(req)),
  );
  app.post('/api/worker/rights/consultations', { config: LIMITED, schema: { tags, summary: '在线咨询', body: workerConsultationBody } }, async (req) =>
    s.consultations.ask(worker(req), req.meta, req.body),
  );
  app.get('/api/worker/rights/consultations/:id', { config: WORKER, schema: { tags, summary: '我的咨询对话', params: idParam } }, async (req) =>
    s.consultations.workerGet(worker(req), req.params.id),
  );
  app.post(
    '/api/worker/rights/consultations/:id/messages',
    { config: LIMITED, schema: { tags, summary: '追问', params: idParam, body: workerFollowUpBody } },
    async (req) => s.consultations.followUp(worker(req), req.meta, req.params.id, req.body.body),
  );
}
