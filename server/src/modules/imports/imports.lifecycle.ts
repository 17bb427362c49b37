// The job lifecycle the register imports share (the enterprise list, the 税务代收 statement): the upload answers
// at once with a queued job, the jobs of the process run one at a time in upload order, the rows come from the
// streaming xlsx reader or csv-parse, and the job ends `done` with its totals or `failed` with a message —
// the error's own when it is Chinese (a missing header, an empty file), else one plain sentence — written in
// one transaction with its audit row. The member roll import (imports.job.ts) has its own pipeline.
import { parse as parseCsv } from 'csv-parse/sync';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { decodeCsv } from '../../platform/spreadsheet.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { xlsxRows } from './imports.read.js';

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
  const records = parseCsv(decodeCsv(buf), { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  for (let i = 0; i < records.length; i++) yield { rowNo: i + 1, cells: records[i]!.map((c) => c.trim()) };
}

export type JobEnd = { status: 'done' | 'failed'; message: string | null };

/** What a failed job tells the uploader: a Chinese message as it is, anything else as one plain sentence. */
export const failureMessage = (err: unknown) =>
  err instanceof Error && /[\u4e00-\u9fa5]/.test(err.message) ? err.message : '文件无法读取，请检查格式后重新上传';

export interface JobAudit {
  actor: StaffActor;
  meta: RequestMeta;
  action: string;
  targetType: string;
  jobId: string;
  orgId: string;
  fileName: string;
}

/**
 * One queue of import jobs per module instance. `enqueue` runs the job after those queued before it, then
 * `markEnd` (the module's own job table) and the audit row in one transaction; `idle` resolves when every
 * queued job has finished (tests, the bench, shutdown).
 */
export function createImportQueue(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  let queue: Promise<void> = Promise.resolve();

  async function finish(a: JobAudit, markEnd: (trx: Transaction<DB>, end: JobEnd & { finished_at: Date }) => Promise<unknown>, end: JobEnd, detail: object) {
    await db.transaction().execute(async (trx) => {
      await markEnd(trx, { ...end, finished_at: ctx.clock.now() });
      await ctx.audit.append(trx, {
        ...auditActor(a.actor, a.meta),
        action: a.action,
        targetType: a.targetType,
        targetId: a.jobId,
        orgId: a.orgId,
        outcome: end.status === 'done' ? 'success' : 'failure',
        detail: { fileName: a.fileName, ...detail },
      });
    });
  }

  return {
    enqueue(a: JobAudit, run: () => Promise<object>, markEnd: (trx: Transaction<DB>, end: JobEnd & { finished_at: Date }) => Promise<unknown>) {
      queue = queue.then(async () => {
        try {
          const totals = await run();
          await finish(a, markEnd, { status: 'done', message: null }, totals);
        } catch (err) {
          const message = failureMessage(err);
          await finish(a, markEnd, { status: 'failed', message }, { reason: message }).catch(() => undefined);
        }
      });
    },
    idle: () => queue,
  };
}
