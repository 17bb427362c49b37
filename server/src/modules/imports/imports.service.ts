// Bulk import of a union's existing roll from .xlsx / .csv. The upload answers at once with a
// job id; the job runs in this process: the file is streamed row by row, each row validated with
// the same schemas the H5 uses, and committed in batches (a bad row never rolls back the good
// ones). A person already in this union is skipped, so the same file imported twice adds nothing.
import { chinaDay } from '../../platform/china-time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Utf8SafeWorkbookReader, decodeCsv } from '../../platform/spreadsheet.js';
import { parse as parseCsv } from 'csv-parse';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ImportJob } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { cleanText, FORBIDDEN_TEXT_MESSAGE } from '../../platform/text.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditEntry } from '../audit/audit.service.js';
import { admitMany, identityDiffersMessage } from '../members/members.bulk.js';
import { PHONE_DOMAIN } from '../members/members.people.js';
import type { EventActor } from '../members/members.service.js';
import { EDUCATION, EMPLOYMENT_FORMS, ID_TYPES, POLITICAL_STATUS, employmentInput, personInput } from '../members/members.schema.js';
import type { EmploymentInput, PersonInput } from '../members/members.schema.js';
import type { ModuleContext } from '../module-context.js';
import { importsRepository, type ImportJobWithOrg } from './imports.repository.js';
import { ERROR_COLUMN, HEADER_OF, IMPORT_COLUMNS, IMPORT_HEADERS, IMPORT_JOB_STATUSES, type ImportField, type ImportJobDto } from './imports.schema.js';

export const BATCH_SIZE = 500;
export const CRASH_MESSAGE = '导入过程中服务重启，任务已中止。已导入的行已保存；请重新上传同一文件，已导入的人员会自动跳过。';

/** A spreadsheet cell starting with = + - @ or a tab is a formula to Excel: escape it with a quote. */
export const escapeCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

// ---- reading the file: header row, then data rows as arrays of strings ----

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText)
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return '';
  }
  return String(v as string).trim();
}

export async function* xlsxRows(buf: Buffer): AsyncGenerator<string[]> {
  const reader = new Utf8SafeWorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    // Only the first sheet holds the roll (the template's second sheet is 填写说明).
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const out: string[] = [];
      for (let i = 1; i < values.length; i++) out.push(cellText(values[i]));
      (out as string[] & { rowNo?: number }).rowNo = row.number;
      yield out;
    }
    break;
  }
}

export { decodeCsv };

async function* csvRows(buf: Buffer): AsyncGenerator<string[]> {
  const parser = Readable.from([decodeCsv(buf)]).pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }));
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const out = rec.record.map((v) => v.trim());
    (out as string[] & { rowNo?: number }).rowNo = rec.info.lines;
    yield out;
  }
}

const rowsOf = (buf: Buffer, format: ImportJob['format']) => (format === 'xlsx' ? xlsxRows(buf) : csvRows(buf));
const rowNoOf = (r: string[], fallback: number) => (r as string[] & { rowNo?: number }).rowNo ?? fallback;
const isBlank = (r: string[]) => r.every((v) => v === '');

export function detectFormat(buf: Buffer, fileName: string): ImportJob['format'] {
  const isZip = buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
  const isOle = buf.length >= 4 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0;
  if (isOle) throw invalid({ file: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传' });
  if (/\.xlsx$/i.test(fileName)) {
    if (!isZip) throw invalid({ file: '文件内容不是有效的 .xlsx 文件' });
    return 'xlsx';
  }
  if (isZip) throw invalid({ file: '文件内容是 Excel 工作簿，但文件名不是 .xlsx' });
  return 'csv';
}

// ---- one row → the member input ----

const header = (f: ImportField) => HEADER_OF[f];
const ID_TYPE_BY_LABEL = new Map<string, keyof typeof ID_TYPES>(Object.entries(ID_TYPES).map(([k, v]) => [v, k as keyof typeof ID_TYPES]));
ID_TYPE_BY_LABEL.set('身份证', 'resident_id');
const FORM_BY_LABEL = new Map<string, EmploymentInput['employmentForm']>(
  Object.entries(EMPLOYMENT_FORMS).map(([k, v]) => [v, k as EmploymentInput['employmentForm']]),
);

/** Dates as people type them: 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日, or an Excel serial number. */
export function parseDay(raw: string): string | null {
  const v = raw.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m && /^\d{5}(\.\d+)?$/.test(v)) {
    const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86400_000);
    m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d.toISOString());
  }
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export type ParsedRow = { ok: true; person: PersonInput; employment: EmploymentInput; joinedOn: string; key: string } | { ok: false; reason: string };

const FIELD_OF_PATH: Record<string, ImportField> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, c.field]));

export function parseRow(rawCell: (f: ImportField) => string, today: string): ParsedRow {
  const problems: string[] = [];
  const add = (f: ImportField, msg: string) => problems.push(msg.startsWith(header(f)) ? msg : `${header(f)}：${msg}`);
  // The same text rule as every request (platform/text.ts): refused characters name the column,
  // the rest is stored NFC-normalised.
  for (const c of IMPORT_COLUMNS) if (cleanText(rawCell(c.field)) === null) add(c.field, FORBIDDEN_TEXT_MESSAGE);
  if (problems.length) return { ok: false, reason: problems.join('；') };
  const cell = (f: ImportField) => cleanText(rawCell(f))!;
  const opt = (f: ImportField) => cell(f) || undefined;

  for (const c of IMPORT_COLUMNS) if (c.required && !cell(c.field)) add(c.field, '必填，不能为空');

  const idTypeLabel = cell('idType');
  const idType = idTypeLabel ? ID_TYPE_BY_LABEL.get(idTypeLabel) : 'resident_id';
  if (!idType) add('idType', `“${idTypeLabel}”无效，可选：${Object.values(ID_TYPES).join('、')}`);

  const sexLabel = cell('sex');
  const sex = sexLabel === '男' ? 'M' : sexLabel === '女' ? 'F' : undefined;
  if (sexLabel && !sex) add('sex', `“${sexLabel}”无效，应为男或女`);

  let birthDate: string | undefined;
  if (cell('birthDate')) {
    birthDate = parseDay(cell('birthDate')) ?? undefined;
    if (!birthDate) add('birthDate', `“${cell('birthDate')}”不是有效日期，格式应为 YYYY-MM-DD`);
  }

  const education = cell('education');
  if (education && !(EDUCATION as readonly string[]).includes(education)) add('education', `“${education}”无效，可选：${EDUCATION.join('、')}`);
  const political = cell('politicalStatus');
  if (political && !(POLITICAL_STATUS as readonly string[]).includes(political))
    add('politicalStatus', `“${political}”无效，可选：${POLITICAL_STATUS.join('、')}`);

  const hukouLabel = cell('hukouType');
  const hukouType = hukouLabel === '城镇' ? 'urban' : hukouLabel === '农村' ? 'rural' : undefined;
  if (hukouLabel && !hukouType) add('hukouType', `“${hukouLabel}”无效，应为城镇或农村`);

  const formLabel = cell('employmentForm');
  const employmentForm = formLabel ? FORM_BY_LABEL.get(formLabel) : 'standard';
  if (!employmentForm) add('employmentForm', `“${formLabel}”无效，可选：${Object.values(EMPLOYMENT_FORMS).join('、')}`);

  const yesNo = (f: ImportField) => {
    const v = cell(f);
    if (!v || v === '否') return false;
    if (v === '是') return true;
    add(f, `“${v}”无效，应为是或否`);
    return false;
  };
  const isMigrantWorker = yesNo('isMigrantWorker');
  const isModelWorker = yesNo('isModelWorker');

  let joinedOn = today;
  if (cell('joinedOn')) {
    const d = parseDay(cell('joinedOn'));
    if (!d) add('joinedOn', `“${cell('joinedOn')}”不是有效日期，格式应为 YYYY-MM-DD`);
    else if (d > today) add('joinedOn', `${d} 晚于今天，入会日期不能是将来的日期`);
    else joinedOn = d;
  }

  // The required columns are reported once above; the schemas check the rest.
  const missingRequired = problems.length > 0 && IMPORT_COLUMNS.some((c) => c.required && !cell(c.field));
  const person = personInput.safeParse({
    idType: idType ?? 'resident_id',
    idNumber: cell('idNumber'),
    name: cell('name'),
    sex,
    birthDate,
    ethnicity: opt('ethnicity'),
    phone: cell('phone'),
    education: education && (EDUCATION as readonly string[]).includes(education) ? education : undefined,
    politicalStatus: political && (POLITICAL_STATUS as readonly string[]).includes(political) ? political : undefined,
    hukouType,
    hukouRegion: opt('hukouRegion'),
    emergencyContactName: opt('emergencyContactName'),
    emergencyContactPhone: opt('emergencyContactPhone'),
  });
  const employment = employmentInput.safeParse({
    employerName: opt('employerName'),
    jobTitle: opt('jobTitle'),
    employmentForm: employmentForm ?? 'standard',
    skillGrade: opt('skillGrade'),
    isMigrantWorker,
    isModelWorker,
  });
  for (const r of [person, employment]) {
    if (r.success) continue;
    for (const issue of r.error.issues) {
      const f = FIELD_OF_PATH[String(issue.path[0] ?? '')];
      if (!f) {
        problems.push(issue.message);
        continue;
      }
      if (missingRequired && IMPORT_COLUMNS.some((c) => c.field === f && c.required) && !cell(f)) continue;
      add(f, issue.message);
    }
  }
  if (problems.length || !person.success || !employment.success) return { ok: false, reason: [...new Set(problems)].join('；') };
  return { ok: true, person: person.data, employment: employment.data, joinedOn, key: `${person.data.idType}:${person.data.idNumber}` };
}

// ---- the service ----

/** `careful`: always the row-by-row path (the fallback of a failed fast batch); tests use it to check both give the same result. */
export function createImportsService(ctx: ModuleContext, opts: { careful?: boolean } = {}) {
  const db: Kysely<DB> = ctx.database.db;
  const c = ctx.crypto;
  const now = () => ctx.clock.now();
  const bootedAt = now();

  // One job at a time in this process: the jobs queue behind each other.
  let queue: Promise<void> = Promise.resolve();

  /** Jobs a previous process left queued or running cannot resume (the file was in its memory). */
  const recovered: Promise<void> = (async () => {
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

  interface Pending {
    rowNo: number;
    cells: string[];
    parsed: ParsedRow;
  }

  interface BatchResult {
    added: number;
    skipped: number;
    errors: { rowNo: number; cells: string[]; reason: string }[];
  }

  const OTHER_UNION = `${header('idNumber')}：此人已是其他工会的会员（一人只能加入一个工会），请办理会籍转接`;

  /** Whether a person (by identity) is a live member of the job's union (→ skipped) or of another one (→ error). */
  async function liveWhere(trx: Transaction<DB>, job: ImportJob, person: PersonInput): Promise<'here' | 'elsewhere' | null> {
    const known = await ctx.members.personByIdNumber(trx, person.idType, person.idNumber);
    const live = known ? await ctx.members.liveMembership(trx, known.id) : undefined;
    return !live ? null : live.org_id === job.org_id ? 'here' : 'elsewhere';
  }

  async function finishBatch(trx: Transaction<DB>, job: ImportJob, rows: Pending[], out: BatchResult): Promise<BatchResult> {
    out.errors.sort((a, b) => a.rowNo - b.rowNo);
    await importsRepository.insertErrors(
      trx,
      out.errors.map((e) => ({ job_id: job.id, row_no: e.rowNo, values_enc: c.encrypt(JSON.stringify(e.cells)), reason: e.reason })),
    );
    await importsRepository.addProgress(trx, job.id, { processed: rows.length, added: out.added, skipped: out.skipped, failed: out.errors.length });
    return out;
  }

  /**
   * The database half of a batch, fast: the members module's batched admission (a few multi-row
   * statements per batch). Rows it refuses as already members are looked at one by one: in this
   * union → skipped, elsewhere → an error row.
   */
  async function writeBatchFast(trx: Transaction<DB>, job: ImportJob, rows: Pending[]): Promise<BatchResult> {
    const out: BatchResult = { added: 0, skipped: 0, errors: [] };
    const actor: EventActor = { type: 'import', id: job.id, name: job.file_name };
    const good: (Pending & { parsed: Extract<ParsedRow, { ok: true }> })[] = [];
    for (const r of rows) {
      if (r.parsed.ok) good.push(r as Pending & { parsed: Extract<ParsedRow, { ok: true }> });
      else out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: r.parsed.reason });
    }
    const outcomes = await admitMany(
      trx,
      { crypto: ctx.crypto, clock: ctx.clock },
      good.map((r) => ({ person: r.parsed.person, employment: r.parsed.employment, orgId: job.org_id, joinedOn: r.parsed.joinedOn })),
      { source: 'import', actor },
    );
    for (let i = 0; i < good.length; i++) {
      const r = good[i]!;
      const o = outcomes[i]!;
      if (o.ok) out.added++;
      else if (o.code === 'already_member') {
        const where = await liveWhere(trx, job, r.parsed.person);
        if (where === 'here') out.skipped++;
        else out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: OTHER_UNION });
      } else if (o.code === 'identity_differs') out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: `${header('idNumber')}：${o.message}` });
      else out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: o.code === 'org_unavailable' ? '目标工会不存在或已撤销' : o.message });
    }
    return finishBatch(trx, job, rows, out);
  }

  /** The careful path, after the fast one failed: one row at a time, each in a savepoint. */
  async function writeBatchCareful(trx: Transaction<DB>, job: ImportJob, rows: Pending[]): Promise<BatchResult> {
    const out: BatchResult = { added: 0, skipped: 0, errors: [] };
    const actor: EventActor = { type: 'import', id: job.id, name: job.file_name };
    for (const r of rows) {
      if (!r.parsed.ok) {
        out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: r.parsed.reason });
        continue;
      }
      const { person, employment, joinedOn } = r.parsed;
      await sql`savepoint import_row`.execute(trx);
      try {
        const where = await liveWhere(trx, job, person);
        if (where === 'here') out.skipped++;
        else if (where === 'elsewhere') out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: OTHER_UNION });
        else {
          // A person already on the roll is admitted as the roll has them, never rewritten (decision 009).
          const known = await ctx.members.personByIdNumber(trx, person.idType, person.idNumber);
          const differs = known && ctx.members.differences(known, { name: person.name, phoneBidx: c.blindIndex(person.phone, PHONE_DOMAIN) });
          if (differs && (differs.name || differs.phone)) {
            out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason: `${header('idNumber')}：${identityDiffersMessage(differs)}` });
          } else {
            const p = known ?? (await ctx.members.identify(trx, person));
            await ctx.members.admit(trx, { person: p, orgId: job.org_id, employment, source: 'import', joinedOn, actor });
            out.added++;
          }
        }
        await sql`release savepoint import_row`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint import_row`.execute(trx);
        if (!(err instanceof AppError) && !isUniqueViolation(err)) throw err;
        const reason =
          err instanceof AppError && err.message.includes('一个工会')
            ? OTHER_UNION
            : err instanceof AppError
              ? err.message
              : '与同时进行的其他操作冲突，请重新导入';
        out.errors.push({ rowNo: r.rowNo, cells: r.cells, reason });
      }
    }
    return finishBatch(trx, job, rows, out);
  }

  async function commitBatch(job: ImportJob, rows: Pending[]): Promise<BatchResult> {
    if (opts.careful) return db.transaction().execute((trx) => writeBatchCareful(trx, job, rows));
    try {
      return await db.transaction().execute((trx) => writeBatchFast(trx, job, rows));
    } catch {
      // Something in the batch failed unexpectedly (a race the multi-row statements did not
      // absorb): the whole batch rolled back; redo it row by row, each in a savepoint.
      return db.transaction().execute((trx) => writeBatchCareful(trx, job, rows));
    }
  }

  async function run(job: ImportJob, buf: Buffer, audit: Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>) {
    const totals = { added: 0, skipped: 0, failed: 0, processed: 0 };
    let inflight: Promise<void> = Promise.resolve();
    let fileTotal: number | null = null;
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
    try {
      await importsRepository.updateJob(db, job.id, { status: 'running', started_at: now() });
      const target = await ctx.orgs.forMembership(db, job.org_id);
      if (!target || target.org.status !== 'active') return await finish('failed', '目标工会不存在或已撤销');

      // First pass: the header row, and how many data rows there are (for the progress bar).
      let headers: string[] | null = null;
      let total = 0;
      for await (const r of rowsOf(buf, job.format)) {
        if (!headers) {
          if (isBlank(r)) continue;
          headers = r;
        } else if (!isBlank(r)) total++;
      }
      if (!headers) return await finish('failed', '文件是空的：没有表头和数据行');
      const colOf = new Map<string, number>();
      headers.forEach((h, i) => {
        const name = h.replace(/[*＊\s]/g, '');
        if (!colOf.has(name)) colOf.set(name, i);
      });
      const missing = IMPORT_COLUMNS.filter((col) => col.required && !colOf.has(col.header)).map((col) => col.header);
      if (missing.length) return await finish('failed', `文件缺少必填列：${missing.join('、')}。请使用导入模板，表头在第一行。`);
      if (total === 0) return await finish('failed', '文件中没有数据行');
      fileTotal = total;
      await importsRepository.updateJob(db, job.id, { total, headers });

      const idx = Object.fromEntries(IMPORT_COLUMNS.map((col) => [col.field, colOf.get(col.header) ?? -1])) as Record<ImportField, number>;
      const today = chinaDay(now());
      const seen = new Map<string, number>();
      let batch: Pending[] = [];
      // While one batch is in the database, the next is read and validated (one batch in flight,
      // so batches still commit in file order).
      const flush = async () => {
        if (!batch.length) return;
        const rows = batch;
        batch = [];
        await inflight;
        inflight = commitBatch(job, rows).then((r) => {
          totals.processed += rows.length;
          totals.added += r.added;
          totals.skipped += r.skipped;
          totals.failed += r.errors.length;
        });
        inflight.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
      };
      let headerSeen = false;
      let n = 0;
      for await (const r of rowsOf(buf, job.format)) {
        n++;
        if (isBlank(r)) continue;
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        const rowNo = rowNoOf(r, n);
        const cells = headers.map((_, i) => r[i] ?? '');
        let parsed = parseRow((f) => (idx[f] >= 0 ? (r[idx[f]] ?? '') : ''), today);
        if (parsed.ok) {
          const first = seen.get(parsed.key);
          if (first !== undefined) parsed = { ok: false, reason: `${header('idNumber')}：与第 ${first} 行重复，同一文件中同一人只能出现一次` };
          else seen.set(parsed.key, rowNo);
        }
        batch.push({ rowNo, cells, parsed });
        if (batch.length >= BATCH_SIZE) await flush();
      }
      await flush();
      await inflight;
      await finish('done', null);
    } catch (err) {
      await inflight.catch(() => undefined);
      await finish(
        'failed',
        err instanceof AppError ? err.message : '导入中断：文件无法读取或处理时出错。已导入的行已保存，请检查文件后重新上传，已导入的人员会自动跳过。',
      ).catch(() => undefined);
    }
  }

  const service = {
    /** Resolves when the jobs a previous process left unfinished have been marked failed. */
    recovered,

    /** Resolves when every job started so far has finished (tests, shutdown). */
    idle: () => queue,

    async template(format: 'xlsx' | 'csv') {
      if (format === 'csv') {
        return { body: Buffer.from(`\uFEFF${IMPORT_HEADERS.join(',')}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8', fileName: '会员导入模板.csv' };
      }
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (d: Buffer) => chunks.push(d));
      const done = new Promise((resolve) => sink.on('end', resolve));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
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
      await wb.commit();
      await done;
      return {
        body: Buffer.concat(chunks),
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
      const job = await importsRepository.insertJob(db, {
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
      const audit = auditActor(actor, meta);
      queue = queue.then(() => run(job, body, audit)).catch(() => undefined);
      return { jobId: job.id };
    },

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
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (d: Buffer) => chunks.push(d));
      const done = new Promise((resolve) => sink.on('end', resolve));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
      const ws = wb.addWorksheet('错误行');
      const headers = j.headers.length ? j.headers : IMPORT_HEADERS;
      ws.columns = [...headers, ERROR_COLUMN].map((h) => ({ header: escapeCell(h), width: h === ERROR_COLUMN ? 60 : 16, style: { numFmt: '@' } }));
      let after = 0;
      let count = 0;
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
      await wb.commit();
      await done;
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
      return { body: Buffer.concat(chunks), fileName: `${base}-错误行.xlsx` };
    },
  };
  return service;
}

export type ImportsService = ReturnType<typeof createImportsService>;
