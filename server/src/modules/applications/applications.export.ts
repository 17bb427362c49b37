// The streamed xlsx export of the scoped list and the figures on the org page.
// Split out of applications.service.ts.
import { chinaDate, chinaMinute } from '../../platform/china-time.js';
import { PassThrough } from 'node:stream';
import { loadExcel } from '../../platform/excel.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { maskPhone } from '../../platform/crypto.js';
import { auditActor } from '../audit/audit.service.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { applicationsRepository as repo } from './applications.repository.js';
import { APPLICATION_STATUSES, type ListFilters } from './applications.schema.js';
import { type ApplicationsCtx } from './applications.common.js';
import type { ApplicationsEngine } from './applications.engine.js';
import type { ApplicationPresenters } from './applications.present.js';

export function createApplicationsExport(ctx: ApplicationsCtx, e: ApplicationsEngine, p: ApplicationPresenters) {
  const { now, listArgs } = e;
  const { presentRow } = p;
  // The export's pages and count and the org page's figures read the replica when there is one (decision 038):
  // both tolerate its lag; the scope checks (listArgs, findInScope) and the audit row stay on the primary.
  const reader = ctx.database.reader;

  async function keepPace(out: PassThrough) {
    while (!out.destroyed && (out.writableNeedDrain || out.readableLength >= out.readableHighWaterMark)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const EXPORT_COLUMNS = [
    '申请编号',
    '服务事项',
    '申请人',
    '手机号',
    '身份证号',
    '所属工会',
    '状态',
    '当前环节',
    '办理单位',
    '提交时间',
    '办理期限',
    '是否超期',
    '申请金额',
    '核定金额',
    '办结时间',
  ];
  const cstTime = (d: Date | null | undefined) => (d ? chinaMinute(new Date(d)) : '');

  async function writeExport(out: PassThrough, scopePath: string, f: Omit<Parameters<typeof repo.exportPage>[2], 'limit' | 'beforeId'>) {
    const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('服务申请');
    ws.columns = EXPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: i === 1 || i === 5 || i === 8 ? 28 : 14 }));
    let beforeId: string | undefined;
    for (;;) {
      const page = await repo.exportPage(reader, scopePath, { ...f, beforeId, limit: 1000 });
      for (const r of page) {
        const row = presentRow(r);
        ws.addRow(
          [
            row.no,
            row.serviceType.name,
            r.applicant_name,
            r.applicant_phone_masked,
            r.applicant_id_masked ?? '',
            r.org_name,
            row.statusLabel,
            row.currentStep?.name ?? '',
            row.handlingOrg?.name ?? '',
            cstTime(r.submitted_at),
            cstTime(row.dueAt ? new Date(row.dueAt) : null),
            row.overdue ? '是' : '否',
            r.requested_amount ?? '',
            r.granted_amount ?? '',
            cstTime(r.finished_at),
          ].map((v) => escapeCell(v)),
        ).commit();
      }
      if (page.length < 1000 || out.destroyed) break;
      beforeId = page[page.length - 1]!.id;
      await keepPace(out);
    }
    ws.commit();
    await wb.commit();
  }

  return {
    async export(actor: StaffActor, meta: RequestMeta, f: ListFilters) {
      const args = await listArgs(actor, f);
      const { total } = await repo.list(reader, actor.orgPath, { ...args, limit: 1, offset: 0 });
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'application.export',
        targetType: 'application',
        targetId: null,
        orgId: actor.orgId,
        outcome: 'success',
        detail: { rows: total, filters: { ...f, q: f.q && /^1\d{10}$/.test(f.q) ? maskPhone(f.q) : f.q } },
      });
      const stream = new PassThrough();
      writeExport(stream, actor.orgPath, args).catch((err: unknown) => stream.destroy(err as Error));
      const day = chinaDate(now());
      return { stream, rows: total, fileName: `服务申请-${day}.xlsx`, asciiName: `applications-${day}.xlsx` };
    },

    async figures(actor: StaffActor, orgId: string, f: { from?: string; to?: string }) {
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const n = now();
      const r = await repo.figures(reader, org.path, n, {
        from: f.from ? new Date(`${f.from}T00:00:00+08:00`) : undefined,
        to: f.to ? new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
      });
      const dates = `${f.from ? `&from=${f.from}` : ''}${f.to ? `&to=${f.to}` : ''}`;
      return {
        orgId: org.id,
        byServiceAndStatus: r.byStatus.map((x) => ({
          serviceTypeId: x.service_type_id,
          serviceName: x.name,
          status: x.status,
          statusLabel: APPLICATION_STATUSES[x.status],
          count: Number(x.n),
          query: `serviceTypeId=${x.service_type_id}&status=${x.status}&orgId=${org.id}${dates}`,
        })),
        handlingTimeByStep: r.handling.map((x) => ({
          serviceTypeId: x.service_type_id,
          serviceName: x.name,
          stepKey: x.step_key,
          stepName: x.step_name,
          handled: Number(x.n),
          medianHours: Math.round((Number(x.median_seconds) / 3600) * 10) / 10,
          query: `serviceTypeId=${x.service_type_id}&orgId=${org.id}${dates}`,
        })),
        overdue: { count: r.overdue, query: `overdue=true&orgId=${org.id}${dates}` },
      };
    },
  };
}
