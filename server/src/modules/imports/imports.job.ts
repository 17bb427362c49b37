// One import job, start to finish (decision 013): read the file (header, data row count, chunks),
// prepare the chunks — validation, encryption, blind indexes, pinyin — in worker threads (in this
// thread for small files), and commit them in file order, each chunk in one transaction: COPY into
// the staging table, one set-based merge, its error rows and the job's progress. While a chunk is
// merged the next ones are prepared. A bad row never rolls back the good ones; a person already
// in this union is skipped, so the same file imported twice adds nothing.
import { chinaDay } from '../../platform/china-time.js';
import type { ImportJob } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { AuditEntry } from '../audit/audit.service.js';
import { identityDiffersMessage } from '../members/members.bulk.js';
import type { ModuleContext } from '../module-context.js';
import { createCarefulWriter, OTHER_UNION, type CarefulRow, type ChunkError, type ChunkResult } from './imports.careful.js';
import { header, parseRow } from './imports.parse.js';
import { cellsOf, prepareChunk, stageTarget, stagingBlocks, type PreparedChunk, type PrepareTask } from './imports.prepare.js';
import type { PreparePool } from './imports.pool.js';
import { readRollFile, rowsOfChunk, type ChunkSource } from './imports.read.js';
import { importsRepository } from './imports.repository.js';
import { IMPORT_COLUMNS, type ImportField } from './imports.schema.js';
import { openStageSession, type StageSession } from './imports.stage.js';
import { importsStageRepository, type MergeRow } from './imports.stage.repository.js';
import { HandBack } from './imports.durable.js';

/** Rows per chunk: one task for a worker, one transaction. */
export const CHUNK_ROWS = 5000;
/** Files with fewer data rows are prepared in this thread (starting worker threads costs more). */
export const WORKER_THRESHOLD = 3000;

const FAILED_READING = '导入中断：文件无法读取或处理时出错。已导入的行已保存，请检查文件后重新上传，已导入的人员会自动跳过。';
export const SHUTDOWN_MESSAGE = '服务停止时导入尚未完成，任务已中止。已导入的行已保存；请重新上传同一文件继续导入，已导入的人员会自动跳过。';

/** The server is stopping: the job ends at a chunk boundary (nothing half-written). */
class Stopping extends Error {}

/** A merge met a race its statement does not absorb (someone wrote the same person meanwhile): redo the chunk row by row. */
class LostRace extends Error {}

export interface RunnerOptions {
  /** Always the row-by-row path. */
  careful?: boolean;
  pool: PreparePool;
  /** Data rows from which the worker threads prepare (tests lower it to exercise them). */
  workerThreshold?: number;
  /** Rows per chunk (tests lower it to cross chunk boundaries with a small file). */
  chunkRows?: number;
  /** True once the server is stopping: checked before the job starts and between chunks. */
  shouldStop?: () => boolean;
  /** PostgreSQL (several processes): a stopped job goes back to the queue (HandBack) instead of ending failed. */
  handBack?: boolean;
}

type AuditWho = Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;

export function createImportRunner(ctx: ModuleContext, opts: RunnerOptions) {
  const db = ctx.database.db;
  const c = ctx.crypto;
  const now = () => ctx.clock.now();
  const writeCareful = createCarefulWriter(ctx);

  /**
   * Runs the job, or resumes it: the chunks a previous runner committed (`job.processed` rows) are
   * read and prepared again only to know their identities (the first row of a person in the file
   * wins), not merged again; the totals go on from the job's.
   */
  return async function run(job: ImportJob, buf: Buffer, audit: AuditWho): Promise<void> {
    const totals = { added: job.added, skipped: job.skipped, failed: job.failed, processed: job.processed };
    let resumeRows = job.processed;
    let fileTotal: number | null = null;
    let session: StageSession | null = null;
    const finish = async (status: 'done' | 'failed', message: string | null) => {
      await db.transaction().execute(async (trx) => {
        await importsRepository.updateJob(trx, job.id, { status, message, finished_at: now() });
        await ctx.audit.append(trx, {
          ...audit,
          action: 'member.import',
          targetType: 'import_job',
          targetId: job.id,
          orgId: job.org_id,
          outcome: status === 'done' ? 'success' : 'failure',
          detail: { fileName: job.file_name, fileSm3: job.file_sm3, total: fileTotal, ...totals, ...(message && { reason: message }) },
        });
      });
    };
    const pending: { src: ChunkSource; prepared: Promise<PreparedChunk> }[] = [];
    try {
      if (opts.shouldStop?.()) throw new Stopping();
      await importsRepository.updateJob(db, job.id, { status: 'running', started_at: job.started_at ?? now() });
      const target = await ctx.orgs.forMembership(db, job.org_id);
      if (!target || target.org.status !== 'active') return await finish('failed', '目标工会不存在或已撤销');

      const file = await readRollFile(buf, job.format);
      const headers = file.headers;
      if (!headers) return await finish('failed', '文件是空的：没有表头和数据行');
      const colOf = new Map<string, number>();
      headers.forEach((h, i) => {
        const name = h.replace(/[*＊\s]/g, '');
        if (!colOf.has(name)) colOf.set(name, i);
      });
      const missing = IMPORT_COLUMNS.filter((col) => col.required && !colOf.has(col.header)).map((col) => col.header);
      if (missing.length) return await finish('failed', `文件缺少必填列：${missing.join('、')}。请使用导入模板，表头在第一行。`);
      if (file.total === 0) return await finish('failed', '文件中没有数据行');
      fileTotal = file.total;
      await importsRepository.updateJob(db, job.id, { total: file.total, headers });

      const idx = Object.fromEntries(IMPORT_COLUMNS.map((col) => [col.field, colOf.get(col.header) ?? -1])) as Record<ImportField, number>;
      const today = chinaDay(now());
      const inThread = opts.careful || file.total < (opts.workerThreshold ?? WORKER_THRESHOLD);
      const task = (source: ChunkSource, out?: ArrayBuffer): PrepareTask => ({ source, headerCount: headers.length, idx, today, ...(out && { out }) });
      // The staging lines' buffers of committed chunks, written into again by the next ones (worker
      // threads, PrepareTask.out): a buffer per chunk, kept past a few collections of the young
      // generation, would otherwise pile up until a full one (the import's peak memory, issue 10).
      const spare: ArrayBuffer[] = [];
      const recycle = (chunk: PreparedChunk) => {
        if (!inThread && spare.length < 4) spare.push(chunk.good.text.buffer as ArrayBuffer);
      };
      const prepare = (source: ChunkSource) =>
        inThread ? Promise.resolve().then(() => prepareChunk(c, task(source))) : opts.pool.run(task(source, spare.pop()));
      if (!opts.careful) session = await openStageSession(ctx.database);

      const targetColumns = stageTarget({ orgId: job.org_id, orgPath: target.org.path, divisionCode: target.divisionCode });
      // The first row of each identity in the file wins; later ones are reported (file order, across chunks).
      const seen = new Map<string, number>();

      const commit = async (src: ChunkSource, chunk: PreparedChunk) => {
        let cellsByRow: Map<number, string[]> | null = null;
        const cellsOfRow = (rowNo: number) => {
          cellsByRow ??= new Map(rowsOfChunk(src).map((r) => [r.rowNo, cellsOf(r.cells, headers.length)]));
          return cellsByRow.get(rowNo) ?? [];
        };
        const errorOf = (rowNo: number, reason: string): ChunkError => ({ rowNo, reason, valuesEnc: c.encrypt(JSON.stringify(cellsOfRow(rowNo))) });
        const errors: ChunkError[] = chunk.bad.map((b) => ({ ...b }));
        const kept: number[] = [];
        const goodRows = new Set<number>();
        chunk.good.keys.forEach((key, k) => {
          const rowNo = chunk.good.rowNos[k]!;
          const first = seen.get(key);
          if (first !== undefined) errors.push(errorOf(rowNo, `${header('idNumber')}：与第 ${first} 行重复，同一文件中同一人只能出现一次`));
          else {
            seen.set(key, rowNo);
            kept.push(k);
            goodRows.add(rowNo);
          }
        });

        const careful = async () => {
          const rows: CarefulRow[] = [];
          for (const r of rowsOfChunk(src)) {
            if (!goodRows.has(r.rowNo)) continue;
            const parsed = parseRow((f) => (idx[f] >= 0 ? (r.cells[idx[f]] ?? '') : ''), today);
            if (parsed.ok) rows.push({ rowNo: r.rowNo, cells: cellsOf(r.cells, headers.length), parsed });
          }
          return db.transaction().execute(async (trx) => {
            const out = await writeCareful(trx, job, rows, { added: 0, skipped: 0, errors: [...errors] });
            await record(trx, out);
            return out;
          });
        };
        const record = async (trx: Parameters<typeof importsRepository.insertErrors>[0], out: ChunkResult) => {
          out.errors.sort((a, b) => a.rowNo - b.rowNo);
          await importsRepository.insertErrors(
            trx,
            out.errors.map((e) => ({ job_id: job.id, row_no: e.rowNo, values_enc: e.valuesEnc, reason: e.reason })),
          );
          await importsRepository.addProgress(trx, job.id, { processed: chunk.rows, added: out.added, skipped: out.skipped, failed: out.errors.length });
        };
        const fast = () =>
          session!.db.transaction().execute(async (trx) => {
            const at = now();
            if (kept.length) await session!.load(trx, stagingBlocks(chunk.good, kept, targetColumns));
            const merged: MergeRow[] = kept.length
              ? await importsStageRepository.merge(trx, { actor: { type: 'import', id: job.id, name: job.file_name }, year: chinaDay(at).slice(2, 4), at })
              : [];
            const out: ChunkResult = { added: 0, skipped: 0, errors };
            for (const m of merged) {
              if (m.outcome === 'summary') {
                out.added = m.added;
                out.skipped = m.skipped;
              } else if (m.outcome === 'lost') throw new LostRace();
              else if (m.outcome === 'elsewhere') errors.push(errorOf(m.row_no!, OTHER_UNION));
              else if (m.outcome === 'differs')
                errors.push(errorOf(m.row_no!, `${header('idNumber')}：${identityDiffersMessage({ name: m.name_differs, phone: m.phone_differs })}`));
              else errors.push(errorOf(m.row_no!, '目标工会不存在或已撤销'));
            }
            await record(trx, out);
            return out;
          });

        let result: ChunkResult;
        if (opts.careful) result = await careful();
        else {
          const before = errors.length;
          try {
            result = await fast();
          } catch {
            // Something in the chunk failed unexpectedly (a race the statement did not absorb): the
            // whole chunk rolled back; redo it row by row, each in a savepoint.
            errors.length = before;
            result = await careful();
          }
        }
        totals.processed += chunk.rows;
        totals.added += result.added;
        totals.skipped += result.skipped;
        totals.failed += result.errors.length;
      };

      // Up to one chunk per worker (plus one) is prepared ahead of the one being committed.
      const depth = inThread ? 1 : opts.pool.size + 1;
      const chunks = file.chunks(opts.chunkRows ?? CHUNK_ROWS);
      let exhausted = false;
      const fill = async () => {
        while (!exhausted && pending.length < depth) {
          const next = await chunks.next();
          if (next.done) exhausted = true;
          else {
            const prepared = prepare(next.value);
            prepared.catch(() => undefined); // awaited in turn; not an unhandled rejection meanwhile
            pending.push({ src: next.value, prepared });
          }
        }
      };
      await fill();
      while (pending.length) {
        // A safe point: every chunk so far is committed, the next not begun.
        if (opts.shouldStop?.()) throw new Stopping();
        const { src, prepared } = pending.shift()!;
        const chunk = await prepared;
        if (resumeRows > 0) {
          // Committed before the restart (chunks have the same rows in every process: CHUNK_ROWS).
          chunk.good.keys.forEach((key, k) => {
            if (!seen.has(key)) seen.set(key, chunk.good.rowNos[k]!);
          });
          resumeRows -= chunk.rows;
          recycle(chunk);
          await fill();
          continue;
        }
        // The next chunks are read (xlsx: in this thread) and handed out while this one is merged.
        const [committed, filled] = await Promise.allSettled([commit(src, chunk), fill()]);
        if (committed.status === 'rejected') throw committed.reason;
        if (filled.status === 'rejected') throw filled.reason;
        recycle(chunk);
      }
      await finish('done', null);
      ctx.log?.info({ importJob: job.id, ...totals }, '会员导入任务已完成');
    } catch (err) {
      await Promise.allSettled(pending.map((p) => p.prepared));
      if (err instanceof Stopping && opts.handBack) {
        ctx.log?.info({ importJob: job.id, ...totals }, '服务停止：会员导入任务在分块边界暂停，重新排队由其他进程继续');
        throw new HandBack();
      }
      const message = err instanceof Stopping ? SHUTDOWN_MESSAGE : err instanceof AppError ? err.message : FAILED_READING;
      await finish('failed', message).catch(() => undefined);
      ctx.log?.warn({ importJob: job.id, ...totals, reason: message }, '会员导入任务未完成');
    } finally {
      await session?.close().catch(() => undefined);
    }
  };
}
