// Bulk import of a union's existing roll from .xlsx / .csv. The upload answers at once with a
// job id; the jobs run one after another per process (imports.job.ts: read → prepare in worker
// threads → COPY into a staging table → one set-based merge per chunk, decision 013), as durable
// jobs (imports.durable.ts, decision 037): on PostgreSQL any process runs them, and one whose
// process died is resumed by another after its last committed chunk.
// This file: the template, starting a job, the job list and progress, the error report.
import { createHash } from 'node:crypto';
import { bufferedWorkbook } from '../../platform/excel.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { createImportRunner } from './imports.job.js';
import { createDurableImports } from './imports.durable.js';
import { JOB_QUEUES } from '../../platform/jobs.js';
import type { AuditEntry } from '../audit/audit.service.js';
import { createPreparePool } from './imports.pool.js';
import { detectFormat } from './imports.read.js';
import { importsRepository, type ImportJobWithOrg } from './imports.repository.js';
import { ERROR_COLUMN, IMPORT_COLUMNS, IMPORT_HEADERS, IMPORT_JOB_STATUSES, type ImportJobDto } from './imports.schema.js';

export { parseDay, parseRow, type ParsedRow } from './imports.parse.js';
export { decodeCsv, detectFormat, xlsxRows } from './imports.read.js';

export const CRASH_MESSAGE = '导入过程中服务重启，任务已中止。已导入的行已保存；请重新上传同一文件，已导入的人员会自动跳过。';
export { SHUTDOWN_MESSAGE } from './imports.job.js';

/** A spreadsheet cell starting with = + - @ or a tab is a formula to Excel: escape it with a quote. */
export const escapeCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

// ---- the service ----

/**
 * `careful`: always the row-by-row path (the fallback of a failed chunk merge); tests use it to check
 * both give the same result. `workerThreshold`, `chunkRows`: when worker threads prepare the rows,
 * and how many rows go in one chunk (tests lower them).
 */
export function createImportsService(ctx: ModuleContext, opts: { careful?: boolean; workerThreshold?: number; chunkRows?: number } = {}) {
  const db: Kysely<DB> = ctx.database.db;
  const c = ctx.crypto;
  const now = () => ctx.clock.now();
  const bootedAt = now();
  const { fieldEncryptionKey, fieldMacKey, blindIndexKey, tokenSigningKey } = ctx.config.secrets;
  const pool = createPreparePool({ fieldEncryptionKey, fieldMacKey, blindIndexKey, tokenSigningKey });
  type Item = { jobId: string; audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'> };
  // The server stopping (close, or the job runner stopping): a running job stops after the chunk being
  // committed and a queued one does not start — on PGlite both end 'failed' with SHUTDOWN_MESSAGE
  // (re-uploading resumes them), on PostgreSQL they go back to the queue for the other processes.
  const durable = createDurableImports<Item>(ctx, {
    queue: JOB_QUEUES.memberImport,
    table: 'import_jobs',
    permission: 'member:import',
    run: async ({ jobId, audit }, body) => {
      const job = await importsRepository.job(db, jobId);
      if (job) await run(job, body, audit);
    },
    fail: async ({ jobId, audit }, message) => {
      const job = await importsRepository.job(db, jobId);
      if (!job) return;
      await db.transaction().execute(async (trx) => {
        await importsRepository.updateJob(trx, jobId, { status: 'failed', message, finished_at: now() });
        await ctx.audit.append(trx, {
          ...audit,
          action: 'member.import',
          targetType: 'import_job',
          targetId: jobId,
          orgId: job.org_id,
          outcome: 'failure',
          detail: { fileName: job.file_name, fileSm3: job.file_sm3, processed: job.processed, added: job.added, reason: message },
        });
      });
    },
    resumeData: async (jobId) => {
      const job = await importsRepository.job(db, jobId);
      return job ? { jobId, audit: { actorType: 'staff', actorId: job.uploaded_by, actorName: job.uploaded_by_name, ip: null, requestId: null } } : null;
    },
  });
  const run = createImportRunner(ctx, { ...opts, pool, shouldStop: durable.stopping, handBack: durable.shared });

  /**
   * PGlite (one process): jobs a previous process left queued or running cannot resume (the file was
   * in its memory). PostgreSQL: other processes may be running them; the sweep resumes those whose
   * runner died (imports.durable.ts).
   */
  const recovered: Promise<void> = (async () => {
    if (durable.shared) return;
    const stale = await importsRepository.failUnfinished(db, bootedAt, CRASH_MESSAGE, now());
    for (const job of stale) {
      await ctx.audit.record({
        actorType: 'staff',
        actorId: job.uploaded_by,
        actorName: job.uploaded_by_name,
        action: 'member.import',
        targetType: 'import_job',
        targetId: job.id,
        orgId: job.org_id,
        outcome: 'failure',
        detail: { fileName: job.file_name, fileSm3: job.file_sm3, processed: job.processed, added: job.added, reason: CRASH_MESSAGE },
      });
    }
  })().catch(() => undefined);

  function toDto(j: ImportJobWithOrg): ImportJobDto {
    return {
      id: j.id,
      org: { id: j.org_id, name: j.org_name },
      fileName: j.file_name,
      status: j.status,
      statusLabel: IMPORT_JOB_STATUSES[j.status],
      total: j.total,
      processed: j.processed,
      added: j.added,
      skipped: j.skipped,
      failed: j.failed,
      uploadedBy: j.uploaded_by_name,
      message: j.message,
      createdAt: j.created_at.toISOString(),
      startedAt: j.started_at ? j.started_at.toISOString() : null,
      finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
      errorReportAvailable: j.failed > 0,
    };
  }

  const service = {
    /** Resolves when the jobs a previous process left unfinished have been marked failed. */
    recovered,

    /** Resolves when every job started so far has finished (tests, shutdown). */
    idle: () => durable.idle(),

    /**
     * App close: the running job stops at its next chunk boundary (every committed chunk stays), the
     * queued ones are marked failed (PGlite) or left queued for the other processes (PostgreSQL),
     * then the worker threads stop.
     */
    async close() {
      await durable.close();
      await pool.close();
    },

    async template(format: 'xlsx' | 'csv') {
      if (format === 'csv') {
        return { body: Buffer.from(`\uFEFF${IMPORT_HEADERS.join(',')}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8', fileName: '会员导入模板.csv' };
      }
      const body = await bufferedWorkbook((wb) => {
        const ws = wb.addWorksheet('会员名单');
        ws.columns = IMPORT_COLUMNS.map((col) => ({
          header: col.header,
          key: col.field,
          width: Math.max(12, col.header.length * 3),
          // Text cells: an ID number or phone typed into a number cell loses digits.
          style: { numFmt: '@' },
        }));
        const head = ws.getRow(1);
        IMPORT_COLUMNS.forEach((col, i) => {
          head.getCell(i + 1).font = { bold: true, color: col.required ? { argb: 'FFC00000' } : undefined };
        });
        head.commit();
        ws.commit();
        const help = wb.addWorksheet('填写说明');
        help.columns = [
          { header: '列名', key: 'header', width: 16 },
          { header: '是否必填', key: 'required', width: 10 },
          { header: '填写说明', key: 'help', width: 90 },
        ];
        for (const col of IMPORT_COLUMNS) help.addRow({ header: col.header, required: col.required ? '必填' : '选填', help: col.help }).commit();
        help
          .addRow({
            header: '说明',
            required: '',
            help: '第一行为表头，请勿修改列名；从第二行起每行一人。同一人已是本工会会员的行会自动跳过，可重复导入同一文件。',
          })
          .commit();
        help.commit();
      });
      return {
        body,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: '会员导入模板.xlsx',
      };
    },

    async start(actor: StaffActor, meta: RequestMeta, input: { orgId: string; fileName: string }, body: unknown) {
      const org = await ctx.orgs.findInScope(actor, input.orgId);
      if (!org) throw notFound('工会');
      if (org.status !== 'active') throw invalid({ orgId: '该工会已撤销，不能导入会员' });
      if (!Buffer.isBuffer(body)) throw invalid({ file: '请以 application/octet-stream 上传文件内容' });
      if (body.length === 0) throw invalid({ file: '上传的文件是空的' });
      const format = detectFormat(body, input.fileName);
      const audit = auditActor(actor, meta);
      const job = await db.transaction().execute(async (trx) => {
        const job = await importsRepository.insertJob(trx, {
          org_id: org.id,
          uploaded_by: actor.accountId,
          uploaded_by_name: `${actor.displayName}（${actor.username}）`,
          file_name: input.fileName,
          file_sm3: createHash('sm3').update(body).digest('hex'),
          file_size: body.length,
          format,
          total: null,
          message: null,
          created_at: now(),
          started_at: null,
          finished_at: null,
        });
        await durable.enqueue(trx, { jobId: job.id, audit }, body);
        return job;
      });
      durable.wake();
      ctx.log?.info({ importJob: job.id, org: org.id, bytes: body.length, format }, '会员导入任务已排队');
      return { jobId: job.id };
    },

    /** Jobs waiting or running (/metrics). */
    queueDepth: () => importsRepository.queueDepth(db),

    async list(actor: StaffActor, q: { page: number; pageSize: number }) {
      const { items, total } = await importsRepository.jobs(db, actor.orgPath, q.pageSize, (q.page - 1) * q.pageSize);
      return { items: items.map(toDto), total };
    },

    async get(actor: StaffActor, id: string) {
      const j = await importsRepository.jobInScope(db, actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      return toDto(j);
    },

    /** The bad rows with their original columns and 错误原因; they hold full ID numbers, so the download is audited. */
    async errorReport(actor: StaffActor, meta: RequestMeta, id: string) {
      const j = await importsRepository.jobInScope(db, actor.orgPath, id);
      if (!j) throw notFound('导入任务');
      const headers = j.headers.length ? j.headers : IMPORT_HEADERS;
      let count = 0;
      const body = await bufferedWorkbook(async (wb) => {
        const ws = wb.addWorksheet('错误行');
        ws.columns = [...headers, ERROR_COLUMN].map((h) => ({ header: escapeCell(h), width: h === ERROR_COLUMN ? 60 : 16, style: { numFmt: '@' } }));
        let after = 0;
        for (;;) {
          const rows = await importsRepository.errors(db, j.id, after, 1000);
          if (!rows.length) break;
          for (const r of rows) {
            const cells = JSON.parse(c.decrypt(r.values_enc)) as string[];
            ws.addRow([...headers.map((_, i) => escapeCell(cells[i] ?? '')), escapeCell(r.reason)]).commit();
            after = r.row_no;
            count++;
          }
        }
        ws.commit();
      });
      await ctx.audit.record({
        ...auditActor(actor, meta),
        action: 'member.import.errors',
        targetType: 'import_job',
        targetId: j.id,
        orgId: j.org_id,
        outcome: 'success',
        detail: { rows: count },
      });
      const base = j.file_name.replace(/\.(xlsx|csv)$/i, '');
      return { body, fileName: `${base}-错误行.xlsx` };
    },
  };
  return service;
}

export type ImportsService = ReturnType<typeof createImportsService>;
