// 税务代收 statements (.xlsx / .csv) with the member / enterprise imports' conventions: the file is the
// raw upload body, the job answers at once and runs in this process one at a time, xlsx is read by
// the streaming reader, every bad row is reported (error report .xlsx), and rows are matched to the
// enterprise register on the 统一社会信用代码. A receipt is keyed by its 电子税票号码, so importing the
// same statement again adds nothing (counted as 已导入过).
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FundsImportJobsTable } from '../../db/schema-funds.js';
import { chinaDay, chinaMinute } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { isCalendarDate } from '../../platform/fields.js';
import { toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { isValidCreditCode, normaliseWidth } from '../../platform/validators.js';
import { detectFormat } from '../imports/imports.read.js';
import { createImportQueue, fileRows, type ImportItem, errorReportXlsx } from '../imports/imports.lifecycle.js';
import { JOB_QUEUES } from '../../platform/jobs.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { fundsRepository as repo } from './funds.repository.js';
import type { FundsService } from './funds.service.js';

export const STATEMENT_COLUMNS = ['统一社会信用代码', '缴费单位名称', '所属期', '计费工资总额', '实缴金额', '入库日期', '电子税票号码'] as const;
const REQUIRED = ['统一社会信用代码', '所属期', '实缴金额', '入库日期', '电子税票号码'];
const CHUNK = 500;

interface GoodRow {
  rowNo: number;
  code: string;
  period: string;
  payrollFen: bigint | null;
  amountFen: bigint;
  receivedOn: string;
  ref: string;
}

const money = (v: string) => {
  const s = v.replace(/[,，\s]/g, '');
  try {
    return s ? toFen(s) : null;
  } catch {
    return undefined;
  }
};

/** One statement row → a receipt, or the reason it is refused. */
export function parseStatementRow(cells: Record<string, string>, today: string): Omit<GoodRow, 'rowNo'> | string {
  const code = normaliseWidth(cells['统一社会信用代码'] ?? '')
    .trim()
    .toUpperCase();
  if (!code) return '缺少统一社会信用代码';
  if (!isValidCreditCode(code)) return '统一社会信用代码无效（应为 18 位且校验位正确）';
  const p = (cells['所属期'] ?? '')
    .trim()
    .replace(/[年/.]/g, '-')
    .replace(/月$/, '');
  const m = /^(\d{4})-?(\d{1,2})$/.exec(p);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return `所属期应为 YYYY-MM：${cells['所属期'] || '（空）'}`;
  const period = `${m[1]}-${m[2]!.padStart(2, '0')}`;
  const amount = money(cells['实缴金额'] ?? '');
  if (amount === undefined || amount === null) return `实缴金额应为最多两位小数的金额：${cells['实缴金额'] || '（空）'}`;
  if (amount <= 0n) return '实缴金额必须大于 0';
  const payroll = money(cells['计费工资总额'] ?? '');
  if (payroll === undefined) return `计费工资总额应为最多两位小数的金额：${cells['计费工资总额']}`;
  const d = (cells['入库日期'] ?? '').trim().replace(/[/.]/g, '-');
  const day = /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isCalendarDate(day)) return `入库日期应为 YYYY-MM-DD：${cells['入库日期'] || '（空）'}`;
  if (day > today) return '入库日期晚于今天';
  const ref = (cells['电子税票号码'] ?? '').trim();
  if (!/^[0-9A-Za-z-]{6,40}$/.test(ref)) return `电子税票号码应为 6–40 位字母或数字：${ref || '（空）'}`;
  return { code, period, payrollFen: payroll, amountFen: amount, receivedOn: day, ref };
}

type JobRow = Selectable<FundsImportJobsTable> & { org_name: string };
type RowError = { rowNo: number; cells: string[]; reason: string };

export function createStatementImport(ctx: ModuleContext, funds: FundsService) {
  const db: Kysely<DB> = ctx.database.db;
  // The queue item: what run needs besides the file (any process may run it, decision 037).
  type Item = ImportItem & { scope: string; by: string };
  const jobs = createImportQueue<Item>(ctx, {
    queue: JOB_QUEUES.fundsImport,
    table: 'funds_import_jobs',
    permission: 'funds:manage',
    action: 'funds.statement.import',
    targetType: 'funds_import_job',
    run: (item, body) => run(item.jobId, item.scope, item.by, body, detectFormat(body, item.fileName)),
    resumeExtra: (row) => ({ scope: row.path, by: row.uploaded_by_name ?? '' }),
  });

  const dto = (j: JobRow) => ({
    id: j.id,
    orgId: j.org_id,
    orgName: j.org_name,
    fileName: j.file_name,
    status: j.status,
    statusLabel: { queued: '排队中', running: '导入中', done: '已完成', failed: '失败' }[j.status],
    processed: j.processed,
    added: j.added,
    duplicate: j.duplicate,
    failed: j.failed,
    message: j.message,
    uploadedBy: j.uploaded_by_name,
    createdAt: j.created_at.toISOString(),
    finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
  });

  const jobInScope = (scope: string, id: string) =>
    db
      .selectFrom('funds_import_jobs as j')
      .innerJoin('orgs as o', 'o.id', 'j.org_id')
      .selectAll('j')
      .select(['o.name as org_name'])
      .where('j.id', '=', id)
      .where('o.path', 'like', `${scope}%`)
      .executeTakeFirst();

  async function mergeChunk(jobId: string, scope: string, by: string, rows: GoodRow[], errors: RowError[], raw: Map<number, string[]>) {
    const found = new Map((await repo.unionisedByCodes(db, scope, [...new Set(rows.map((r) => r.code))])).map((e) => [e.credit_code, e]));
    let added = 0;
    let duplicate = 0;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const e = found.get(r.code);
        if (!e) {
          errors.push({ rowNo: r.rowNo, cells: raw.get(r.rowNo) ?? [], reason: '企业名录中没有该统一社会信用代码的已建会企业（或不在本会管辖范围）' });
          continue;
        }
        if (r.payrollFen !== null) await funds.ensureReceivable(trx, e, r.period, r.payrollFen);
        const made = await funds.recordReceipt(trx, {
          enterpriseId: e.id,
          unionOrgId: e.union_org_id!,
          unionPath: e.union_path,
          period: r.period,
          amount: r.amountFen,
          receivedOn: r.receivedOn,
          channel: 'tax',
          sourceRef: r.ref,
          jobId,
          createdBy: by,
        });
        if (made) added++;
        else duplicate++;
      }
      if (errors.length)
        await trx
          .insertInto('funds_import_errors')
          .values(errors.map((x) => ({ job_id: jobId, row_no: x.rowNo, cells: JSON.stringify(x.cells), reason: x.reason })))
          .onConflict((oc) => oc.doNothing())
          .execute();
    });
    return { added, duplicate, failed: errors.length };
  }

  async function run(jobId: string, scope: string, by: string, buf: Buffer, format: string) {
    await db.updateTable('funds_import_jobs').set({ status: 'running' }).where('id', '=', jobId).execute();
    const today = chinaDay(ctx.clock.now());
    let header: string[] | null = null;
    let rows: GoodRow[] = [];
    let errors: RowError[] = [];
    let raw = new Map<number, string[]>();
    const seen = new Map<string, number>();
    const totals = { processed: 0, added: 0, duplicate: 0, failed: 0 };
    const flush = async () => {
      const n = rows.length + errors.length;
      const r = await mergeChunk(jobId, scope, by, rows, errors, raw);
      totals.processed += n;
      totals.added += r.added;
      totals.duplicate += r.duplicate;
      totals.failed += r.failed;
      rows = [];
      errors = [];
      raw = new Map();
      await db.updateTable('funds_import_jobs').set(totals).where('id', '=', jobId).execute();
    };
    for await (const { rowNo, cells } of fileRows(buf, format)) {
      if (cells.every((c) => c === '')) continue;
      if (!header) {
        header = cells;
        const missing = REQUIRED.filter((h) => !header!.includes(h));
        if (missing.length) throw new Error(`表头缺少：${missing.join('、')}（请使用对账单模板）`);
        await db
          .updateTable('funds_import_jobs')
          .set({ headers: JSON.stringify(header) })
          .where('id', '=', jobId)
          .execute();
        continue;
      }
      const named: Record<string, string> = {};
      header.forEach((h, i) => (named[h] = cells[i] ?? ''));
      const parsed = parseStatementRow(named, today);
      if (typeof parsed === 'string') errors.push({ rowNo, cells, reason: parsed });
      else if (seen.has(parsed.ref)) errors.push({ rowNo, cells, reason: `与第 ${seen.get(parsed.ref)} 行的电子税票号码重复` });
      else {
        seen.set(parsed.ref, rowNo);
        raw.set(rowNo, cells);
        rows.push({ ...parsed, rowNo });
      }
      if (rows.length + errors.length >= CHUNK) await flush();
    }
    if (!header) throw new Error('文件中没有数据');
    if (rows.length || errors.length) await flush();
    return totals;
  }

  return {
    async start(actor: StaffActor, meta: RequestMeta, q: { orgId?: string; fileName: string }, body: unknown) {
      const org = await ctx.orgs.findInScope(actor, q.orgId ?? actor.orgId);
      if (!org) throw notFound('所属工会');
      if (!Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '请上传 .xlsx 或 .csv 文件' });
      detectFormat(body, q.fileName); // refuses what is neither xlsx nor csv before a job exists
      const job = await db.transaction().execute(async (trx) => {
        const job = await trx
          .insertInto('funds_import_jobs')
          .values({ org_id: org.id, uploaded_by: actor.accountId, uploaded_by_name: actor.displayName, file_name: q.fileName, created_at: ctx.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        const item = { jobId: job.id, orgId: org.id, fileName: q.fileName, who: auditActor(actor, meta), scope: org.path, by: actor.displayName };
        await jobs.enqueue(trx, item, body);
        return job;
      });
      jobs.wake();
      return this.get(actor, job.id);
    },

    /** Resolves when every queued job has finished (tests). */
    idle: () => jobs.idle(),
    /** App close: the running job finishes; PGlite: then the queued ones (decision 037). */
    close: () => jobs.close(),

    async get(actor: StaffActor, id: string) {
      const j = await jobInScope(actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      return dto(j);
    },

    async list(actor: StaffActor, q: { page: number; pageSize: number }) {
      const base = db.selectFrom('funds_import_jobs as j').innerJoin('orgs as o', 'o.id', 'j.org_id').where('o.path', 'like', `${actor.orgPath}%`);
      const [items, total] = await Promise.all([
        base.selectAll('j').select(['o.name as org_name']).orderBy('j.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(dto), total: Number(total.n) };
    },

    async template() {
      const wb = new (await loadExcel()).Workbook();
      const ws = wb.addWorksheet('税务代收对账单');
      ws.columns = STATEMENT_COLUMNS.map((h) => ({ header: h, width: h === '缴费单位名称' ? 30 : 18, style: { numFmt: '@' } }));
      const help = wb.addWorksheet('填写说明');
      help.addRows([
        ['统一社会信用代码', '18 位，按企业名录匹配已建会企业'],
        ['所属期', 'YYYY-MM，如 2026-03'],
        ['计费工资总额', '可空；填写时登记该月应收（按生效的拨缴比例计算）'],
        ['实缴金额', '元，最多两位小数'],
        ['电子税票号码', '每笔唯一；同一号码再次导入不会重复入账'],
      ]);
      return { body: Buffer.from(await wb.xlsx.writeBuffer()), fileName: '税务代收对账单模板.xlsx' };
    },

    async errorReport(actor: StaffActor, id: string) {
      const j = await jobInScope(actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      const body = await errorReportXlsx(db, 'funds_import_jobs', j, STATEMENT_COLUMNS);
      return { body, fileName: `对账单导入错误行-${j.id}-${chinaMinute(ctx.clock.now()).replace(/[: ]/g, '')}.xlsx` };
    },
  };
}

export type StatementImport = ReturnType<typeof createStatementImport>;
