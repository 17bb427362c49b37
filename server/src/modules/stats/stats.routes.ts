import type { App, StaffActor } from '../../platform/context.js';
import { codeParam, periodQuery } from './stats.schema.js';
import type { StatsService } from './stats.service.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['stats'];
const READ = { access: 'stats:read' } as const;

// Figures only — no personal data; the rows behind a figure are read on their own pages with their own permissions.
export function statsRoutes(app: App, s: StatsService) {
  app.get('/api/stats/indicators', { config: READ, schema: { tags, summary: '指标目录：每个指标的编码、名称、单位与口径' } }, async () => s.catalogue());
  app.get(
    '/api/stats/overview',
    { config: READ, schema: { tags, summary: '本级及下级的全部指标（期间内），直属下级逐一对比', querystring: periodQuery } },
    async (req) => s.overview(staff(req), req.query),
  );
  app.get(
    '/api/stats/indicators/:code',
    { config: READ, schema: { tags, summary: '一个指标：本级及下级合计、直属下级对比、趋势', params: codeParam, querystring: periodQuery } },
    async (req) => s.indicator(staff(req), req.params.code, req.query),
  );
}
