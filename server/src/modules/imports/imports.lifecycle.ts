// The job lifecycle the register imports share (the enterprise list, the 税务代收 statement): the upload answers
// at once with a queued job, the jobs run one at a time per process as durable jobs (decision 037), the rows come from the
// streaming xlsx reader or csv-parse, and the job ends `done` with its totals or `failed` with a message —
// the error's own when it is Chinese (a missing header, an empty file), else one plain sentence — written in
// one transaction with its audit row. The member roll import (imports.job.ts) has its own pipeline.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { JobQueueName } from '../../platform/jobs.js';
import type { Permission } from '../../platform/permissions.js';
import { bufferedWorkbook } from '../../platform/excel.js';
import { decodeCsv, escapeCell } from '../../platform/spreadsheet.js';
import type { AuditEntry } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { csvRecords, xlsxRows } from './imports.read.js';
import { createDurableImports } from './imports.durable.js';
import { importJobsRepository, type StatementImportTable } from './imports.jobs.repository.js';

/** The file's rows with their row numbers (1-based, as the spreadsheet shows them); blank rows included. */
export async function* fileRows(buf: Buffer, format: string): AsyncGenerator<{ rowNo: number; cells: string[] }> {
  if (format === 'xlsx') {
    let i = 0;
    for await (const r of xlsxRows(buf)) {
      i++;
      yield { rowNo: (r as string[] & { rowNo?: number }).rowNo ?? i, cells: r };
    }
    return;
  }
  let rowNo = 0;
  for (const record of csvRecords(decodeCsv(buf))) yield { rowNo: ++rowNo, cells: record.map((c) => c.trim()) };
}

export type JobEnd = { status: 'done' | 'failed'; message: string | null };

/** What a failed job tells the uploader: a Chinese message as it is, anything else as one plain sentence. */
export const failureMessage = (err: unknown) =>
  err instanceof Error && /[\u4e00-\u9fa5]/.test(err.message) ? err.message : '文件无法读取，请检查格式后重新上传';

/** Who uploaded the file, for the job's audit row (kept in the queue item: any process may end the job). */
export type JobWho = Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;

/** What every register import's queue item carries; each import adds what its run needs. */
export interface ImportItem {
  jobId: string;
  orgId: string;
  fileName: string;
  who: JobWho;
}

/** A job's row as the sweep resumes it (the uploader's request details are not kept). */
export type ResumeRow = NonNullable<Awaited<ReturnType<typeof importJobsRepository.resumeRow>>>;

export interface ImportQueueSpec<T extends ImportItem> {
  queue: JobQueueName;
  table: StatementImportTable;
  /** The permission the upload route asks for (the uploader must still hold it when the job runs). */
  permission: Permission;
  /** The audit action and target type of the job's end. */
  action: string;
  targetType: string;
  /** Reads the file and merges it; returns the totals (the audit row's detail). Safe to run again: upserts. */
  run(item: T, body: Buffer): Promise<object>;
  /** What the module's item adds to the common part when a job runs again from its row (a runner died). */
  resumeExtra(row: ResumeRow): Omit<T, keyof ImportItem>;
}

/**
 * One queue of import jobs per module instance, durable (imports.durable.ts, decision 037): `enqueue`
 * stores the file and the item in the upload's transaction; a runner runs the job, then `markEnd` and
 * the audit row in one transaction; `idle` resolves when every job sent from here has finished
 * (tests, the bench, the demo seed).
 */
export function createImportQueue<T extends ImportItem>(ctx: ModuleContext, spec: ImportQueueSpec<T>) {
  const db: Kysely<DB> = ctx.database.db;

  async function finish(item: T, end: JobEnd, detail: object) {
    await db.transaction().execute(async (trx) => {
      await importJobsRepository.markEnd(trx, spec.table, item.jobId, { ...end, finished_at: ctx.clock.now() });
      await ctx.audit.append(trx, {
        ...item.who,
        action: spec.action,
        targetType: spec.targetType,
        targetId: item.jobId,
        orgId: item.orgId,
        outcome: end.status === 'done' ? 'success' : 'failure',
        detail: { fileName: item.fileName, ...detail },
      });
    });
  }

  const durable = createDurableImports<T>(ctx, {
    queue: spec.queue,
    table: spec.table,
    permission: spec.permission,
    async run(item, body) {
      try {
        const totals = await spec.run(item, body);
        await finish(item, { status: 'done', message: null }, totals);
      } catch (err) {
        const message = failureMessage(err);
        await finish(item, { status: 'failed', message }, { reason: message }).catch(() => undefined);
      }
    },
    fail: (item, message) => finish(item, { status: 'failed', message }, { reason: message }),
    async resumeData(jobId) {
      const row = await importJobsRepository.resumeRow(db, spec.table, jobId);
      if (!row) return null;
      const who: JobWho = { actorType: 'staff', actorId: row.uploaded_by, actorName: row.uploaded_by_name, ip: null, requestId: null };
      return { jobId, orgId: row.org_id, fileName: row.file_name, who, ...spec.resumeExtra(row) } as T;
    },
  });

  return {
    /** In the upload's transaction, after the job row: the file and the queue item commit with it. */
    enqueue: (trx: Transaction<DB>, item: T, body: Buffer) => durable.enqueue(trx, item, body),
    /** After the upload's transaction committed. */
    wake: () => durable.wake(),
    idle: () => durable.idle(),
    close: () => durable.close(),
  };
}

/** A register import's error rows as xlsx: 行号, 错误原因, then the file's own columns (text cells, formula-safe). */
export async function errorReportXlsx(
  db: Kysely<DB>,
  table: StatementImportTable,
  job: { id: string; headers: string[] },
  defaultHeaders: readonly string[],
): Promise<Buffer> {
  return bufferedWorkbook(async (wb) => {
    const ws = wb.addWorksheet('错误行');
    const headers = job.headers.length ? job.headers : [...defaultHeaders];
    ws.columns = ['行号', '错误原因', ...headers].map((h) => ({ header: escapeCell(h), width: h === '错误原因' ? 40 : 16, style: { numFmt: '@' } }));
    let after = 0;
    for (;;) {
      const rows = await importJobsRepository.errorRowsAfter(db, table, job.id, after);
      if (!rows.length) break;
      for (const r of rows) ws.addRow([String(r.row_no), r.reason, ...r.cells.map((c) => escapeCell(c))]).commit();
      after = rows.at(-1)!.row_no;
    }
    ws.commit();
  });
}
