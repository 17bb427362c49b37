// Importing an enterprise list (e.g. a 市场监管 export) from .xlsx / .csv, with the member import's
// conventions: the file is the raw upload body, the job answers at once and runs in this process
// (one at a time), xlsx is read by the streaming reader (platform/spreadsheet.ts), every bad row is
// reported with its reason (error report .xlsx), and the good rows are merged by 统一社会信用代码
// in one set-based statement per chunk, so importing the same file again changes nothing.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Ownership, EnterpriseSize, EnterpriseImportJobsTable } from '../../db/schema-enterprises.js';
import { chinaMinute } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { offsetOf } from '../../platform/pagination.js';
import { isDivisionCode, isValidCreditCode, normaliseWidth } from '../../platform/validators.js';
import { detectFormat } from '../imports/imports.read.js';
import { createImportQueue, fileRows, type ImportItem, errorReportXlsx } from '../imports/imports.lifecycle.js';
import { JOB_QUEUES } from '../../platform/jobs.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { industryFromText, ownershipFromText, sizeFromText } from './enterprises.constants.js';

/** The template's columns; a file may order them freely (matched by header). */
export const ENTERPRISE_COLUMNS = [
  '统一社会信用代码',
  '企业名称',
  '所有制类型',
  '行业门类',
  '企业规模',
  '职工人数',
  '女职工人数',
  '农民工人数',
  '地址',
  '行政区划代码',
  '平台企业',
] as const;
const REQUIRED = ['统一社会信用代码', '企业名称', '所有制类型', '行业门类', '职工人数'];
const CHUNK = 1000;

interface GoodRow {
  rowNo: number;
  credit_code: string;
  name: string;
  ownership: Ownership;
  industry: string;
  size: EnterpriseSize;
  employees: number;
  women: number;
  migrant_workers: number;
  address: string | null;
  division_code: string | null;
  is_platform: boolean;
}

const int = (v: string) => (v === '' ? 0 : /^\d{1,8}$/.test(v.replace(/,/g, '')) ? Number(v.replace(/,/g, '')) : NaN);

export function parseEnterpriseRow(cells: Record<string, string>): GoodRow | string {
  const code = normaliseWidth(cells['统一社会信用代码'] ?? '')
    .trim()
    .toUpperCase();
  if (!code) return '缺少统一社会信用代码';
  if (!isValidCreditCode(code)) return '统一社会信用代码无效（应为 18 位且校验位正确）';
  const name = (cells['企业名称'] ?? '').trim();
  if (name.length < 2 || name.length > 100) return '企业名称应为 2–100 个字';
  const ownership = ownershipFromText(cells['所有制类型'] ?? '');
  if (!ownership) return `所有制类型无法识别：${cells['所有制类型'] || '（空）'}`;
  const industry = industryFromText(cells['行业门类'] ?? '');
  if (!industry) return `行业门类应为 GB/T 4754 门类代码 A–T 或其名称：${cells['行业门类'] || '（空）'}`;
  const size = sizeFromText(cells['企业规模'] ?? '');
  if (!size) return `企业规模应为 大型/中型/小型/微型：${cells['企业规模']}`;
  const employees = int(cells['职工人数'] ?? '');
  const women = int(cells['女职工人数'] ?? '');
  const migrant = int(cells['农民工人数'] ?? '');
  if (!Number.isFinite(employees)) return '职工人数应为整数';
  if (!Number.isFinite(women)) return '女职工人数应为整数';
  if (!Number.isFinite(migrant)) return '农民工人数应为整数';
  if (women > employees) return '女职工人数不能多于职工人数';
  if (migrant > employees) return '农民工人数不能多于职工人数';
  const division = normaliseWidth(cells['行政区划代码'] ?? '').trim();
  if (division && !isDivisionCode(division)) return '行政区划代码应为 6、9 或 12 位数字';
  const platform = (cells['平台企业'] ?? '').trim();
  if (platform && !['是', '否', 'Y', 'N'].includes(platform)) return '平台企业应填 是 或 否';
  const address = (cells['地址'] ?? '').trim();
  return {
    rowNo: 0,
    credit_code: code,
    name,
    ownership,
    industry,
    size,
    employees,
    women,
    migrant_workers: migrant,
    address: address ? address.slice(0, 200) : null,
    division_code: division || null,
    is_platform: platform === '是' || platform === 'Y',
  };
}

type JobRow = Selectable<EnterpriseImportJobsTable> & { org_name: string };

export function createEnterpriseImport(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  // The queue item: what run needs besides the file (any process may run it, decision 037).
  type Item = ImportItem & { scope: string };
  const jobs = createImportQueue<Item>(ctx, {
    queue: JOB_QUEUES.enterpriseImport,
    table: 'enterprise_import_jobs',
    permission: 'enterprise:write',
    action: 'enterprise.import',
    targetType: 'enterprise_import_job',
    run: (item, body) => run(item.jobId, item.orgId, item.scope, body, detectFormat(body, item.fileName)),
    resumeExtra: (row) => ({ scope: row.path }),
  });

  function dto(j: JobRow) {
    return {
      id: j.id,
      orgId: j.org_id,
      orgName: j.org_name,
      fileName: j.file_name,
      status: j.status,
      statusLabel: { queued: '排队中', running: '导入中', done: '已完成', failed: '失败' }[j.status],
      total: j.total,
      processed: j.processed,
      added: j.added,
      updated: j.updated,
      unchanged: j.unchanged,
      failed: j.failed,
      message: j.message,
      uploadedBy: j.uploaded_by_name,
      createdAt: j.created_at.toISOString(),
      finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
    };
  }

  function jobInScope(exec: Kysely<DB>, scope: string, id: string) {
    return exec
      .selectFrom('enterprise_import_jobs as j')
      .innerJoin('orgs as o', 'o.id', 'j.org_id')
      .selectAll('j')
      .select(['o.name as org_name', 'o.path as org_path'])
      .where('j.id', '=', id)
      .where('o.path', 'like', `${scope}%`)
      .executeTakeFirst();
  }

  /** One chunk: refuse credit codes registered under another scope, then one upsert that leaves identical rows alone. */
  async function mergeChunk(
    jobId: string,
    orgId: string,
    scope: string,
    rows: GoodRow[],
    errors: { rowNo: number; cells: string[]; reason: string }[],
    raw: Map<number, string[]>,
  ) {
    const codes = rows.map((r) => r.credit_code);
    const existing = await db
      .selectFrom('enterprises as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select(['e.credit_code', 'o.path'])
      .where('e.credit_code', 'in', codes)
      .execute();
    const foreign = new Set(existing.filter((e) => !e.path.startsWith(scope)).map((e) => e.credit_code));
    const mine = rows.filter((r) => {
      if (!foreign.has(r.credit_code)) return true;
      errors.push({ rowNo: r.rowNo, cells: raw.get(r.rowNo) ?? [], reason: '该统一社会信用代码的企业已由其他工会登记' });
      return false;
    });
    let added = 0;
    let updated = 0;
    if (mine.length) {
      const res = await db.transaction().execute(async (trx) => {
        const out = await trx
          .insertInto('enterprises')
          .values(mine.map(({ rowNo: _r, ...r }) => ({ ...r, org_id: orgId })))
          .onConflict((oc) =>
            oc
              .column('credit_code')
              .doUpdateSet({
                name: (eb) => eb.ref('excluded.name'),
                ownership: (eb) => eb.ref('excluded.ownership'),
                industry: (eb) => eb.ref('excluded.industry'),
                size: (eb) => eb.ref('excluded.size'),
                employees: (eb) => eb.ref('excluded.employees'),
                women: (eb) => eb.ref('excluded.women'),
                migrant_workers: (eb) => eb.ref('excluded.migrant_workers'),
                address: (eb) => eb.ref('excluded.address'),
                division_code: (eb) => eb.ref('excluded.division_code'),
                is_platform: (eb) => eb.ref('excluded.is_platform'),
                version: sql`enterprises.version + 1`,
                updated_at: sql`now()`,
              })
              .where(
                sql<boolean>`(enterprises.name, enterprises.ownership, enterprises.industry, enterprises.size, enterprises.employees, enterprises.women,
                  enterprises.migrant_workers, enterprises.address, enterprises.division_code, enterprises.is_platform)
                  is distinct from (excluded.name, excluded.ownership, excluded.industry, excluded.size, excluded.employees, excluded.women,
                  excluded.migrant_workers, excluded.address, excluded.division_code, excluded.is_platform)`,
              ),
          )
          .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
          .execute();
        if (errors.length)
          await trx
            .insertInto('enterprise_import_errors')
            .values(errors.map((e) => ({ job_id: jobId, row_no: e.rowNo, cells: JSON.stringify(e.cells), reason: e.reason })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        return out;
      });
      added = res.filter((r) => r.inserted).length;
      updated = res.length - added;
    } else if (errors.length) {
      await db
        .insertInto('enterprise_import_errors')
        .values(errors.map((e) => ({ job_id: jobId, row_no: e.rowNo, cells: JSON.stringify(e.cells), reason: e.reason })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return { added, updated, unchanged: mine.length - added - updated, failed: errors.length };
  }

  async function run(jobId: string, orgId: string, scope: string, buf: Buffer, format: 'xlsx' | 'csv') {
    await db.updateTable('enterprise_import_jobs').set({ status: 'running' }).where('id', '=', jobId).execute();
    let header: string[] | null = null;
    let rows: GoodRow[] = [];
    let errors: { rowNo: number; cells: string[]; reason: string }[] = [];
    let raw = new Map<number, string[]>();
    const seen = new Map<string, number>();
    const totals = { processed: 0, added: 0, updated: 0, unchanged: 0, failed: 0 };
    const flush = async () => {
      const n = rows.length + errors.length;
      const r = await mergeChunk(jobId, orgId, scope, rows, errors, raw);
      totals.processed += n;
      totals.added += r.added;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      totals.failed += r.failed;
      rows = [];
      errors = [];
      raw = new Map();
      await db.updateTable('enterprise_import_jobs').set(totals).where('id', '=', jobId).execute();
    };
    for await (const { rowNo, cells } of fileRows(buf, format)) {
      if (cells.every((c) => c === '')) continue;
      if (!header) {
        header = cells;
        const missing = REQUIRED.filter((h) => !header!.includes(h));
        if (missing.length) throw new Error(`表头缺少：${missing.join('、')}（请使用导入模板）`);
        await db
          .updateTable('enterprise_import_jobs')
          .set({ headers: JSON.stringify(header) })
          .where('id', '=', jobId)
          .execute();
        continue;
      }
      const named: Record<string, string> = {};
      header.forEach((h, i) => (named[h] = cells[i] ?? ''));
      const parsed = parseEnterpriseRow(named);
      if (typeof parsed === 'string') errors.push({ rowNo, cells, reason: parsed });
      else if (seen.has(parsed.credit_code)) errors.push({ rowNo, cells, reason: `与第 ${seen.get(parsed.credit_code)} 行的统一社会信用代码重复` });
      else {
        seen.set(parsed.credit_code, rowNo);
        parsed.rowNo = rowNo;
        raw.set(rowNo, cells);
        rows.push(parsed);
      }
      if (rows.length + errors.length >= CHUNK) await flush();
    }
    if (!header) throw new Error('文件中没有数据');
    if (rows.length || errors.length) await flush();
    return totals;
  }

  return {
    async start(actor: StaffActor, meta: RequestMeta, q: { orgId?: string; fileName: string }, body: unknown) {
      if (!Buffer.isBuffer(body) || body.length === 0) throw invalid({ file: '请上传 .xlsx 或 .csv 文件' });
      const org = await ctx.orgs.findInScope(actor, q.orgId ?? actor.orgId);
      if (!org) throw notFound('所属工会');
      const format = detectFormat(body, q.fileName);
      const job = await db.transaction().execute(async (trx) => {
        const job = await trx
          .insertInto('enterprise_import_jobs')
          .values({
            org_id: org.id,
            uploaded_by: actor.accountId,
            uploaded_by_name: actor.displayName,
            file_name: q.fileName,
            format,
            created_at: ctx.clock.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await jobs.enqueue(trx, { jobId: job.id, orgId: org.id, fileName: q.fileName, who: auditActor(actor, meta), scope: org.path }, body);
        return job;
      });
      jobs.wake();
      return this.get(actor, job.id);
    },

    /** Resolves when every queued job has finished (tests and the bench). */
    idle: () => jobs.idle(),
    /** App close: the running job finishes; PGlite: then the queued ones (decision 037). */
    close: () => jobs.close(),

    async get(actor: StaffActor, id: string) {
      const j = await jobInScope(db, actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      return dto(j);
    },

    async list(actor: StaffActor, q: { page: number; pageSize: number }) {
      const base = db.selectFrom('enterprise_import_jobs as j').innerJoin('orgs as o', 'o.id', 'j.org_id').where('o.path', 'like', `${actor.orgPath}%`);
      const [items, total] = await Promise.all([
        base.selectAll('j').select(['o.name as org_name', 'o.path as org_path']).orderBy('j.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
        base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(dto), total: Number(total.n) };
    },

    async template() {
      const wb = new (await loadExcel()).Workbook();
      const ws = wb.addWorksheet('企业名录');
      ws.columns = ENTERPRISE_COLUMNS.map((h) => ({ header: h, width: h === '企业名称' || h === '地址' ? 30 : 16, style: { numFmt: '@' } }));
      const help = wb.addWorksheet('填写说明');
      help.addRows([
        ['统一社会信用代码', '18 位，校验位按 GB 32100 校验；再次导入同一代码的企业会更新其信息'],
        ['所有制类型', '国有、集体、混合所有制、民营、外商投资、港澳台投资、个体、其他'],
        ['行业门类', 'GB/T 4754 门类代码 A–T（如 C 制造业）或门类名称'],
        ['企业规模', '大型、中型、小型、微型（可空，默认小型）'],
        ['平台企业', '是 / 否'],
      ]);
      return { body: Buffer.from(await wb.xlsx.writeBuffer()), fileName: '企业名录导入模板.xlsx' };
    },

    async errorReport(actor: StaffActor, id: string) {
      const j = await jobInScope(db, actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      const body = await errorReportXlsx(db, 'enterprise_import_jobs', j, ENTERPRISE_COLUMNS);
      return { body, fileName: `企业导入错误行-${j.id}-${chinaMinute(ctx.clock.now()).replace(/[: ]/g, '')}.xlsx` };
    },
  };
}

export type EnterpriseImport = ReturnType<typeof createEnterpriseImport>;
