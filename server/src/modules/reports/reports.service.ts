// The yearly statistics return (工会统计年报, .xlsx) and the annual work report (.docx) of a union and its
// subtree for a year, computed from the records (reports.repository.ts), and the year's highlights its
// staff write for the report (issue 15, item 5; decision 027). Every download is audited.
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { barChartPng } from './reports.chart.js';
import { annualReportDocx, summarySentences } from './reports.docx.js';
import { reportsRepository as repo, type SheetRow, type YearBounds } from './reports.repository.js';
import type { HighlightsInput, ReportQuery } from './reports.schema.js';
import { cellValue, columnsOf, SHEETS, sumRows } from './reports.sheets.js';
import { yearlyReturnXlsx, type ReturnRow, type YearlyReturn } from './reports.xlsx.js';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function bounds(year: number): YearBounds {
  return {
    year,
    fromDay: `${year}-01-01`,
    toDay: `${year}-12-31`,
    fromAt: new Date(`${year}-01-01T00:00:00+08:00`),
    toAt: new Date(`${year + 1}-01-01T00:00:00+08:00`),
  };
}

export function createReportsService(ctx: ModuleContext) {
  const db = ctx.database.db;
  // The year's sheets are figures over a whole year: read on the replica when there is one (decision 038);
  // the scope check and the highlights (which their author edits, then downloads) stay on the primary.
  const reader = ctx.database.reader;
  const now = () => ctx.clock.now();

  async function orgOf(actor: StaffActor, orgId: string | undefined) {
    const org = await ctx.orgs.findInScope(actor, orgId ?? actor.orgId);
    if (!org) throw notFound('工会');
    return org;
  }

  function checkYear(year: number) {
    if (year > chinaYear(now())) throw invalid({ year: '不能统计未来的年度' });
  }

  /** Every sheet: 合计, 本级 (when it has figures) and each direct child, in the tree's order. */
  async function yearly(actor: StaffActor, q: ReportQuery): Promise<YearlyReturn & { parentId: string | null }> {
    checkYear(q.year);
    const org = await orgOf(actor, q.orgId);
    const y = bounds(q.year);
    const children = await repo.children(reader, org.id);
    const sheets = [];
    for (const def of SHEETS) {
      const cols = columnsOf(def);
      const rows = await def.load(reader, org.path, y);
      const byChild = new Map<string, SheetRow>(rows.map((r) => [r.child, r]));
      const lines: ReturnRow[] = [{ label: org.name, kind: 'total', values: sumRows(cols, rows) }];
      const own = byChild.get('');
      if (own && cols.some((c) => !c.ratio && Number(own[c.key] ?? 0) !== 0)) lines.push({ label: org.name, kind: 'own', values: own });
      for (const c of children) {
        const r = byChild.get(c.id);
        if (c.status !== 'active' && !r) continue;
        lines.push({ label: c.name, kind: 'child', values: r ?? {} });
      }
      sheets.push({ def, rows: lines });
    }
    return { org: { id: org.id, name: org.name }, parentId: org.parent_id ?? null, year: q.year, generatedAt: now().toISOString(), sheets };
  }

  const totalsOf = (r: YearlyReturn) => {
    const t: Record<string, number> = {};
    for (const s of r.sheets) for (const [k, v] of Object.entries(s.rows[0]!.values)) t[k] = Number(v ?? 0);
    return t;
  };

  async function audit(actor: StaffActor, meta: RequestMeta, action: string, orgId: string, detail: Record<string, unknown>) {
    await ctx.audit.record({ ...auditActor(actor, meta), action, targetType: 'org', targetId: orgId, orgId, outcome: 'success', detail });
  }

  async function highlightsOf(orgId: string, year: number) {
    const h = await repo.highlights(db, orgId, year);
    return h ? { body: h.body, version: h.version, updatedAt: h.updated_at.toISOString() } : { body: '', version: 0, updatedAt: null };
  }

  return {
    /** The return as JSON for the console: every sheet's header and rows with the values as shown, the summary sentences, the highlights. */
    async preview(actor: StaffActor, q: ReportQuery) {
      const r = await yearly(actor, q);
      return {
        org: r.org,
        year: r.year,
        generatedAt: r.generatedAt,
        summary: summarySentences(r.year, totalsOf(r)),
        highlights: await highlightsOf(r.org.id, r.year),
        sheets: r.sheets.map((s) => {
          const cols = columnsOf(s.def);
          return {
            key: s.def.key,
            name: s.def.name,
            formNo: s.def.formNo,
            title: s.def.title,
            note: s.def.note,
            header: s.def.header.map((h) =>
              'group' in h ? { group: h.group, columns: h.columns.map((c) => ({ key: c.key, label: c.label })) } : { key: h.key, label: h.label },
            ),
            columns: cols.map((c) => ({ key: c.key, label: c.label, money: !!c.money, ratio: !!c.ratio })),
            rows: s.rows.map((row) => ({ label: row.label, kind: row.kind, values: Object.fromEntries(cols.map((c) => [c.key, cellValue(c, row.values)])) })),
          };
        }),
      };
    },

    async yearlyReturn(actor: StaffActor, meta: RequestMeta, q: ReportQuery) {
      const r = await yearly(actor, q);
      const buffer = await yearlyReturnXlsx(r);
      await audit(actor, meta, 'report.yearly_return_export', r.org.id, { year: r.year, sheets: r.sheets.length });
      return { buffer, fileName: `${r.org.name}${r.year}年工会统计年报.xlsx`, asciiName: `statistics-return-${r.year}.xlsx` };
    },

    async annualReport(actor: StaffActor, meta: RequestMeta, q: ReportQuery) {
      const r = await yearly(actor, q);
      const totals = totalsOf(r);
      const y = bounds(r.year);
      const months = await repo.joinedByMonth(reader, (await orgOf(actor, r.org.id)).path, y);
      const monthly = Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1}月`, value: months.find((m) => Number(m.month) === i + 1)?.n ?? 0 }));
      const sheet = (key: string) => r.sheets.find((s) => s.def.key === key)!.rows.filter((x) => x.kind !== 'total');
      const members = sheet('members');
      const stations = sheet('stations');
      const aid = sheet('aid');
      const children = members
        .filter((m) => m.kind === 'child')
        .map((m) => ({
          name: m.label,
          members: Number(m.values.members ?? 0),
          joined: Number(m.values.joined ?? 0),
          gig: Number(m.values.gig ?? 0),
          stations: Number(stations.find((s) => s.label === m.label && s.kind === m.kind)?.values.operating ?? 0),
          aidAmount: Number(aid.find((s) => s.label === m.label && s.kind === m.kind)?.values.aid_amount ?? 0),
        }));
      const top = [...children].sort((a, b) => b.members - a.members).slice(0, 12);
      // 主送: the union above (its name only, as the public union directory shows it).
      const parent = r.parentId ? await ctx.orgs.publicUnion(r.parentId) : null;
      const highlights = await repo.highlights(db, r.org.id, r.year);
      const buffer = await annualReportDocx({
        orgName: r.org.name,
        parentName: parent?.name ?? null,
        year: r.year,
        issuedOn: chinaDay(now()),
        totals,
        highlights: highlights?.body ?? null,
        children,
        charts: {
          monthly: { png: await barChartPng(`${r.year}年各月新发展会员`, '人', monthly), bars: monthly },
          children: top.length
            ? {
                png: await barChartPng(
                  '下级工会年末会员总数',
                  '人',
                  top.map((c) => ({ label: c.name.replace(/(总工会|工会委员会|工会)$/, ''), value: c.members })),
                ),
              }
            : null,
        },
      });
      await audit(actor, meta, 'report.annual_report_export', r.org.id, { year: r.year, highlights: !!highlights });
      return { buffer, contentType: DOCX_TYPE, fileName: `${r.org.name}${r.year}年度工作报告.docx`, asciiName: `annual-report-${r.year}.docx` };
    },

    async highlights(actor: StaffActor, q: ReportQuery) {
      checkYear(q.year);
      const org = await orgOf(actor, q.orgId);
      return highlightsOf(org.id, q.year);
    },

    /** Saves the year's highlights of a union in scope: the first text with version 0, then version-checked. */
    async saveHighlights(actor: StaffActor, meta: RequestMeta, input: HighlightsInput) {
      checkYear(input.year);
      const org = await orgOf(actor, input.orgId);
      const patch = { body: input.body, updated_by: actor.accountId, updated_at: now() };
      await db.transaction().execute(async (trx) => {
        const row =
          input.version === 0
            ? await repo.insertHighlights(trx, { org_id: org.id, year: input.year, ...patch })
            : await repo.updateHighlights(trx, org.id, input.year, input.version, patch);
        if (!row) throw conflict('年度工作亮点已被他人修改，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'report.highlights_save',
          targetType: 'org',
          targetId: org.id,
          orgId: org.id,
          outcome: 'success',
          detail: { year: input.year, version: row.version, length: input.body.length },
        });
      });
      return highlightsOf(org.id, input.year);
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
